import { cidrOf } from '../model/cidr-of.js';
import type { ClusterModel, Machine } from '../model/index.js';
import { ETCD_CLIENT_PORT, etcdDnsName } from '../model/index.js';
import { vagrantMachineAddress } from '../model/vagrant-addresses.js';
import { MAX_ETCD_MEMBERS } from '../spec/index.js';

/**
 * How many members bootstrap a new cluster statically; the others join it once it is healthy.
 * Three is the smallest highly available cluster, and a fixed number keeps every member's boot
 * config the same when `spec.etcd.count` changes (3 ↔ 5), so scaling creates or deletes
 * members and touches no other.
 */
export const ETCD_BOOTSTRAP_MEMBERS = 3;

/** Whether `member` is one of the members that bootstrap a new cluster. */
export function isEtcdBootstrapMember(member: Machine): boolean {
  return member.index < ETCD_BOOTSTRAP_MEMBERS;
}

/** The `initial-cluster` of a new cluster: its bootstrap members, `name=peerUrl,…`. */
export function etcdBootstrapCluster(model: ClusterModel): string {
  return model.endpoints.etcd.members
    .slice(0, ETCD_BOOTSTRAP_MEMBERS)
    .map((member) => `${member.name}=${member.peerUrl}`)
    .join(',');
}

/**
 * The client URLs every member the cluster may ever have would answer on, whether or not it
 * exists now (a member asks them all for a healthy peer; the missing ones cost nothing but a
 * refused or unanswered connection). Addresses are fixed per index: `etcd-N.<domain>` on GCE,
 * the etcd block of the private network on Vagrant.
 */
export function etcdPossibleClientUrls(model: ClusterModel): string[] {
  const { provider } = model;
  const network =
    provider.name === 'vagrant'
      ? cidrOf(provider.network, ['spec', 'provider', 'vagrant', 'network'])
      : undefined;
  return Array.from({ length: MAX_ETCD_MEMBERS }, (_, index) => {
    const host =
      network === undefined
        ? etcdDnsName(index, model.domain)
        : vagrantMachineAddress(network, 'etcd', index);
    return `https://${host}:${ETCD_CLIENT_PORT}`;
  });
}
