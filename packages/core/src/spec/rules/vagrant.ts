import type { MachineRole } from '../../model/cluster-model.js';
import {
  VAGRANT_CONTROLLER_OFFSET,
  VAGRANT_ETCD_OFFSET,
  VAGRANT_ROLE_BLOCKS,
  VAGRANT_WORKER_OFFSET,
  vagrantRoleCapacity,
  vagrantRoleLimit,
} from '../../model/vagrant-addresses.js';
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

/**
 * A Vagrant box name: `flatcar-stable`, or `owner/name` as Vagrant Cloud spells them. The name
 * reaches `vagrant` commands and Vagrant's box folder names, so nothing else gets through: no
 * spaces, no shell or path characters beyond the one owner slash.
 */
const BOX_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*(\/[A-Za-z0-9][A-Za-z0-9._-]*)?$/;

/**
 * Vagrant keeps each box in a folder named after it (`/` spelt `-VAGRANTSLASH-`), and a file
 * name has at most 255 bytes: a generous bound well inside that.
 */
const BOX_NAME_MAX_LENGTH = 128;

/** The box must be a box name, not a path, URL or command. */
export const vagrantBox = rule(['provider'], ({ provider }) =>
  'vagrant' in provider &&
  (!BOX_NAME.test(provider.vagrant.box) || provider.vagrant.box.length > BOX_NAME_MAX_LENGTH)
    ? [
        error(
          'vagrant.box',
          ['spec', 'provider', 'vagrant', 'box'],
          `${JSON.stringify(provider.vagrant.box)} is not a Vagrant box name`,
          `use a box name like flatcar-stable or owner/name, at most ${BOX_NAME_MAX_LENGTH} characters; add a box from a file or URL with \`vagrant box add NAME URL\` first`,
        ),
      ]
    : [],
);

const ROLES: readonly {
  role: MachineRole;
  words: string;
  countPath: readonly string[];
}[] = [
  { role: 'etcd', words: 'etcd members', countPath: ['spec', 'etcd', 'count'] },
  { role: 'controlPlane', words: 'controllers', countPath: ['spec', 'controlPlane', 'count'] },
  { role: 'workers', words: 'workers', countPath: ['spec', 'workers'] },
];

/**
 * Every machine needs an address in its role's fixed block of the private network (see
 * VAGRANT_ROLE_BLOCKS). A role larger than its block in any network is a count to lower; one
 * that only this network is too narrow for is a network to widen.
 */
export const vagrantNetworkSize = rule(
  ['provider', 'etcd', 'controlPlane', 'workers'],
  ({ provider, etcd, controlPlane, workers }) => {
    if (!('vagrant' in provider)) return [];
    const network = checkCidr(provider.vagrant.network, NETWORK_PATH);
    if (!isRange(network)) return [];
    const counts: Record<MachineRole, number> = {
      etcd: etcd.count,
      controlPlane: controlPlane.count,
      workers: fewestWorkers(workers),
    };
    return ROLES.flatMap(({ role, words, countPath }) => {
      const count = counts[role];
      const { first } = VAGRANT_ROLE_BLOCKS[role];
      const limit = vagrantRoleLimit(role);
      if (limit !== undefined && count > limit) {
        return [
          error(
            'vagrant.tooManyMachines',
            countPath,
            `a Vagrant cluster has room for ${limit} ${words} (offsets .${first} to .${first + limit - 1} of the private network), the spec asks for ${count}`,
            'each role has a fixed block of addresses so that scaling one never renumbers another',
          ),
        ];
      }
      const capacity = vagrantRoleCapacity(network, role);
      if (count <= capacity) return [];
      return [
        error(
          'vagrant.networkTooSmall',
          NETWORK_PATH,
          `${network.cidr} has room for ${capacity} ${words} (from offset .${first}), the cluster has ${count}`,
          `use a wider network, for example a /24: etcd from .${VAGRANT_ETCD_OFFSET}, controllers from .${VAGRANT_CONTROLLER_OFFSET}, workers from .${VAGRANT_WORKER_OFFSET}`,
        ),
      ];
    });
  },
);
