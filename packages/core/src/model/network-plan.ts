import { addressAt } from '../spec/cidr.js';
import type { ClusterSpec } from '../spec/index.js';
import { POD_SUBNET_PREFIX_LENGTH } from '../spec/schema/network.js';
import { cidrOf } from './cidr-of.js';
import type { NetworkPlan } from './cluster-model.js';
import { VAGRANT_HOST_OFFSET, VAGRANT_LOAD_BALANCER_OFFSET } from './vagrant-addresses.js';

/** Offset of the API service IP in the service range: its first address. */
const API_SERVICE_OFFSET = 1;

/** Offset of the cluster DNS IP in the service range: the tenth address, by convention. */
const CLUSTER_DNS_OFFSET = 10;

/** The address plan: the spec's ranges, the well-known service IPs and Vagrant's fixed hosts. */
export function buildNetworkPlan(spec: ClusterSpec['spec']): NetworkPlan {
  const services = cidrOf(spec.network.serviceCidr, ['spec', 'network', 'serviceCidr']);
  const plan: NetworkPlan = {
    nodeCidr: spec.network.nodeCidr,
    podCidr: spec.network.podCidr,
    podSubnetPrefixLength: POD_SUBNET_PREFIX_LENGTH,
    serviceCidr: spec.network.serviceCidr,
    apiServiceIp: addressAt(services, API_SERVICE_OFFSET),
    clusterDnsIp: addressAt(services, CLUSTER_DNS_OFFSET),
  };
  if ('vagrant' in spec.provider) {
    const network = cidrOf(spec.provider.vagrant.network, [
      'spec',
      'provider',
      'vagrant',
      'network',
    ]);
    plan.privateNetwork = {
      cidr: network.cidr,
      hostIp: addressAt(network, VAGRANT_HOST_OFFSET),
      loadBalancerIp: addressAt(network, VAGRANT_LOAD_BALANCER_OFFSET),
    };
  }
  return plan;
}
