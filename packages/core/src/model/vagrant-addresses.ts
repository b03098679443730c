import { addressAt, type Ipv4Range, rangeSize } from '../spec/cidr.js';
import type { MachineRole } from './cluster-model.js';

/**
 * The address layout of the Vagrant private network, by offset from its network address. In a
 * /24 such as 192.168.56.0/24:
 *
 * | offset       | what                                                                |
 * | ------------ | ------------------------------------------------------------------- |
 * | `.1`         | the host (VirtualBox host-only adapter and libvirt take the first)  |
 * | `.2`         | the HAProxy load balancer in front of the API servers               |
 * | `.10`–`.19`  | etcd members, in index order (the schema allows at most 9)          |
 * | `.20`–`.99`  | controllers, in index order                                         |
 * | `.100`–      | workers, in index order, up to the address before the broadcast one |
 *
 * Each role has a fixed block so that scaling one role never renumbers another: an address is a
 * Vagrant machine's identity, and a changed one re-creates the VM. The offsets are the same for
 * every prefix length, so widening the network moves no machine either; a wider network only
 * gives workers more room, a narrower one less (a /25 still holds 27 workers, a /26 none), and
 * `vagrant.networkTooSmall` says when a role does not fit.
 */
export const VAGRANT_HOST_OFFSET = 1;

/** Offset of the load balancer in the Vagrant network; see {@link VAGRANT_HOST_OFFSET}. */
export const VAGRANT_LOAD_BALANCER_OFFSET = 2;

/** Offset of etcd member 0 in the Vagrant network; see {@link VAGRANT_HOST_OFFSET}. */
export const VAGRANT_ETCD_OFFSET = 10;

/** Offset of controller 0 in the Vagrant network; see {@link VAGRANT_HOST_OFFSET}. */
export const VAGRANT_CONTROLLER_OFFSET = 20;

/** Offset of worker 0 in the Vagrant network; see {@link VAGRANT_HOST_OFFSET}. */
export const VAGRANT_WORKER_OFFSET = 100;

/**
 * Where each role's block starts and where the next one begins (`end` is exclusive; undefined
 * for workers, whose block runs to the end of the network).
 */
export const VAGRANT_ROLE_BLOCKS: Readonly<
  Record<MachineRole, { readonly first: number; readonly end?: number }>
> = {
  etcd: { first: VAGRANT_ETCD_OFFSET, end: VAGRANT_CONTROLLER_OFFSET },
  controlPlane: { first: VAGRANT_CONTROLLER_OFFSET, end: VAGRANT_WORKER_OFFSET },
  workers: { first: VAGRANT_WORKER_OFFSET },
};

/**
 * How many machines of `role` fit in a Vagrant network: the size of the role's block, cut short
 * where the network ends (its last address is the broadcast address).
 */
export function vagrantRoleCapacity(network: Ipv4Range, role: MachineRole): number {
  const { first, end } = VAGRANT_ROLE_BLOCKS[role];
  const broadcast = rangeSize(network) - 1;
  return Math.max(0, Math.min(end ?? broadcast, broadcast) - first);
}

/** The most machines of `role` any Vagrant network holds: the block size, for bounded blocks. */
export function vagrantRoleLimit(role: MachineRole): number | undefined {
  const { first, end } = VAGRANT_ROLE_BLOCKS[role];
  return end === undefined ? undefined : end - first;
}

/** The address of machine `index` of `role` in the Vagrant network. */
export function vagrantMachineAddress(
  network: Ipv4Range,
  role: MachineRole,
  index: number,
): string {
  return addressAt(network, VAGRANT_ROLE_BLOCKS[role].first + index);
}
