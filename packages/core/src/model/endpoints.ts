import type { ClusterEndpoints, MachineSet } from './cluster-model.js';

/** Port of the Kubernetes API server and of its load balancer. */
export const API_SERVER_PORT = 6443;

/** Port etcd serves clients on. */
export const ETCD_CLIENT_PORT = 2379;

/** Port etcd members talk to each other on. */
export const ETCD_PEER_PORT = 2380;

/** The DNS name of the API load balancer of a cluster in `domain`. */
export function apiDnsName(domain: string): string {
  return `api.${domain}`;
}

/**
 * Where the API and etcd answer. etcd members are reached by DNS name on GCE (Cloud DNS) and
 * by address on Vagrant, where names only live in each machine's /etc/hosts and etcd would
 * otherwise depend on them being written before it starts.
 */
export function buildEndpoints(
  clusterName: string,
  domain: string,
  etcd: MachineSet,
): ClusterEndpoints {
  const members = etcd.machines.map((machine) => {
    const dnsName = machine.dnsName ?? machine.name;
    const host = machine.ip ?? dnsName;
    return {
      name: machine.name,
      dnsName,
      peerUrl: `https://${host}:${ETCD_PEER_PORT}`,
      clientUrl: `https://${host}:${ETCD_CLIENT_PORT}`,
    };
  });
  const api = apiDnsName(domain);
  return {
    api,
    apiPort: API_SERVER_PORT,
    apiUrl: `https://${api}:${API_SERVER_PORT}`,
    etcd: {
      members,
      clientUrls: members.map((member) => member.clientUrl),
      initialCluster: members.map((member) => `${member.name}=${member.peerUrl}`).join(','),
      // Keeps members of differently named clusters apart during bootstrap. Two clusters with the
      // same name share it; what isolates those is that each has its own etcd CA, so a member
      // of one cannot present a peer certificate the other accepts.
      initialClusterToken: `hakoc-${clusterName}`,
    },
  };
}
