import type { PkiRequest } from '@hakoc/certs';
import type { ClusterModel } from '../model/index.js';

/** What only the cloud knows after apply, and the certificates must still name. */
export interface PkiRequestOptions {
  /** The API load balancer's address, once the provider has reserved it. */
  readonly loadBalancerAddress?: string;
}

/**
 * The certificates a cluster needs, described for `@hakoc/certs` (which cannot import the
 * model: it sits below core). Machines whose addresses the model knows (etcd members and, on
 * Vagrant, every machine) get them as SANs; the rest are reached through their DNS names.
 */
export function pkiRequestFor(model: ClusterModel, options: PkiRequestOptions = {}): PkiRequest {
  const loadBalancerAddress =
    options.loadBalancerAddress ?? model.network.privateNetwork?.loadBalancerIp;
  return {
    clusterName: model.name,
    domain: model.domain,
    clusterDomain: model.kubernetes.clusterDomain,
    apiServiceIp: model.network.apiServiceIp,
    apiEndpoint: model.endpoints.api,
    apiPort: model.endpoints.apiPort,
    ...(loadBalancerAddress === undefined ? {} : { loadBalancerAddress }),
    etcdMembers: model.machineSets.etcd.machines.map((machine) => ({
      name: machine.name,
      dnsName: machine.dnsName ?? `${machine.name}.${model.domain}`,
      ips: machine.ip === undefined ? [] : [machine.ip],
    })),
    controlPlane: model.machineSets.controlPlane.machines.map((machine) => ({
      name: machine.name,
      ips: machine.ip === undefined ? [] : [machine.ip],
    })),
    keyAlgorithm: model.pki.keyAlgorithm,
    validity: {
      caDays: model.pki.caValidityDays,
      leafDays: model.pki.leafValidityDays,
      etcdDays: model.pki.etcdCertValidityDays,
    },
  };
}
