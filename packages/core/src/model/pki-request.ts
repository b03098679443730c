import type { PkiRequest } from '@hakoc/certs';
import type { ClusterModel } from './cluster-model.js';

/**
 * What `@hakoc/certs` must issue for a cluster, derived from its model: every etcd member and
 * control-plane machine known in advance, with the addresses that go into their certificates.
 * On GCE the platform assigns addresses and names the control-plane instances, so the request
 * carries etcd names and the control-plane group's name only; on Vagrant every address is
 * planned, the load balancer's included.
 */
export function pkiRequestFor(model: ClusterModel): PkiRequest {
  const { etcd, controlPlane } = model.machineSets;
  const loadBalancerAddress = model.network.privateNetwork?.loadBalancerIp;
  const request: PkiRequest = {
    clusterName: model.name,
    domain: model.domain,
    clusterDomain: model.kubernetes.clusterDomain,
    apiServiceIp: model.network.apiServiceIp,
    apiEndpoint: model.endpoints.api,
    apiPort: model.endpoints.apiPort,
    etcdMembers: model.endpoints.etcd.members.map((member, index) => ({
      name: member.name,
      dnsName: member.dnsName,
      ips: addressesOf(etcd.machines[index]?.ip),
    })),
    // Instances of a managed group share one apiserver certificate and are named by the
    // platform: the group's name stands for them (certs wants at least one machine).
    controlPlane:
      controlPlane.machines.length === 0
        ? [{ name: controlPlane.name, ips: [] }]
        : controlPlane.machines.map((machine) => ({
            name: machine.name,
            ips: addressesOf(machine.ip),
          })),
    keyAlgorithm: model.pki.keyAlgorithm,
    validity: {
      caDays: model.pki.caValidityDays,
      leafDays: model.pki.leafValidityDays,
      etcdDays: model.pki.etcdCertValidityDays,
    },
  };
  return loadBalancerAddress === undefined ? request : { ...request, loadBalancerAddress };
}

function addressesOf(ip: string | undefined): string[] {
  return ip === undefined ? [] : [ip];
}
