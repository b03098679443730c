import type { VagrantAddress, VagrantRole } from './layout.js';

/** What a machine must say for {@link hostedEtcdMembers} to tell the members it runs. */
export interface EtcdHost {
  /** Machine name. */
  readonly name: string;
  /** What it does. */
  readonly role: VagrantRole;
  /** Further addresses: a co-located etcd member's. */
  readonly extraAddresses?: readonly VagrantAddress[];
}

/**
 * The etcd members a machine runs: a dedicated member VM its own (named as the VM), a
 * controller the member co-located on it (named by its extra address), others none.
 */
export function hostedEtcdMembers(machine: EtcdHost): string[] {
  if (machine.role === 'etcd') return [machine.name];
  if (machine.role !== 'controlPlane') return [];
  return (machine.extraAddresses ?? []).map((extra) => extra.name);
}

/** The serial group of the machines running an etcd member: they roll one at a time. */
export const ETCD_SERIAL_GROUP = 'etcd';

/** The serial group of the other controllers: the API stays up behind the load balancer. */
export const CONTROL_PLANE_SERIAL_GROUP = 'controlPlane';
