import { addressAt, type Ipv4Range, rangeSize } from '../spec/cidr.js';

/**
 * The address layout of the Vagrant private network, by offset from its network address:
 *
 * - `.1` the host (VirtualBox host-only adapter and libvirt both take the first address);
 * - `.2` the HAProxy load balancer in front of the API servers;
 * - from `.3` on, one address per machine: etcd members, then controllers, then workers,
 *   each in index order.
 *
 * Packed rather than in fixed blocks so any network that holds the machines works; the layout
 * depends only on the counts, so the same spec always yields the same addresses.
 */
export const VAGRANT_HOST_OFFSET = 1;

/** Offset of the load balancer in the Vagrant network; see {@link VAGRANT_HOST_OFFSET}. */
export const VAGRANT_LOAD_BALANCER_OFFSET = 2;

/** Offset of the first machine in the Vagrant network; see {@link VAGRANT_HOST_OFFSET}. */
export const VAGRANT_FIRST_MACHINE_OFFSET = 3;

/** How many machines fit in a Vagrant network after the host and the load balancer. */
export function vagrantMachineCapacity(network: Ipv4Range): number {
  // The last address is the broadcast address.
  return Math.max(0, rangeSize(network) - 1 - VAGRANT_FIRST_MACHINE_OFFSET);
}

/** The address of machine number `index` (counting across roles) in the Vagrant network. */
export function vagrantMachineAddress(network: Ipv4Range, index: number): string {
  return addressAt(network, VAGRANT_FIRST_MACHINE_OFFSET + index);
}
