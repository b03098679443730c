import { vagrantMachineCapacity } from '../../model/vagrant-addresses.js';
import { isIpv4Range, parseIpv4Cidr, rangeContains } from '../cidr.js';
import { fewestWorkers } from '../schema/machine-sets.js';
import { checkCidr, isRange } from './cidr-check.js';
import { error, rule, warning } from './rule.js';

const NETWORK_PATH = ['spec', 'provider', 'vagrant', 'network'];

/** The only host-only range VirtualBox 7 allows without /etc/vbox/networks.conf. */
const VIRTUALBOX_DEFAULT_RANGE = parseIpv4Cidr('192.168.56.0/21');

/** Vagrant has no autoscaler: it runs the minimum, and the user should know. */
export const vagrantAutoscaling = rule(['provider', 'workers'], ({ provider, workers }) =>
  'vagrant' in provider && 'min' in workers
    ? [
        warning(
          'vagrant.autoscaling',
          ['spec', 'workers'],
          `Vagrant cannot autoscale; it runs min (${workers.min}) workers`,
          'set workers.count for a Vagrant cluster',
        ),
      ]
    : [],
);

/** The private network must be a valid range; VirtualBox restricts which ones. */
export const vagrantNetwork = rule(['provider'], ({ provider }) => {
  if (!('vagrant' in provider)) return [];
  const checked = checkCidr(provider.vagrant.network, NETWORK_PATH);
  if (!isRange(checked)) return [checked];
  if (
    provider.vagrant.hypervisor === 'virtualbox' &&
    isIpv4Range(VIRTUALBOX_DEFAULT_RANGE) &&
    !rangeContains(VIRTUALBOX_DEFAULT_RANGE, checked)
  ) {
    return [
      warning(
        'vagrant.networkOutsideVirtualBoxRange',
        NETWORK_PATH,
        'VirtualBox refuses host-only networks outside 192.168.56.0/21 by default',
        'use 192.168.56.0/24, or allow the range in /etc/vbox/networks.conf',
      ),
    ];
  }
  return [];
});

/** Every machine and the load balancer need an address of the private network. */
export const vagrantNetworkSize = rule(
  ['provider', 'etcd', 'controlPlane', 'workers'],
  ({ provider, etcd, controlPlane, workers }) => {
    if (!('vagrant' in provider)) return [];
    const network = checkCidr(provider.vagrant.network, NETWORK_PATH);
    if (!isRange(network)) return [];
    const machines = etcd.count + controlPlane.count + fewestWorkers(workers);
    const capacity = vagrantMachineCapacity(network);
    if (machines <= capacity) return [];
    return [
      error(
        'vagrant.networkTooSmall',
        NETWORK_PATH,
        `${network.cidr} has room for ${capacity} machines besides the host and load balancer, the cluster has ${machines}`,
        'use a wider network, for example a /24',
      ),
    ];
  },
);
