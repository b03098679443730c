import { HakocError } from '@hakoc/certs';
import type { ClusterModel, EtcdMemberEndpoint, Machine, MachineSet } from '../model/index.js';

/** The etcd member a one-machine etcd set stands for, with its endpoints. */
export interface EtcdMemberIdentity {
  readonly machine: Machine;
  readonly endpoint: EtcdMemberEndpoint;
}

/**
 * The member an etcd config is rendered for. Each member has its own name and certificates,
 * so etcd sets are rendered one machine at a time; anything else is a caller's mistake.
 *
 * @throws HakocError `HAKOC_RENDER_ETCD_MEMBER`
 */
export function etcdMemberOf(model: ClusterModel, machineSet: MachineSet): EtcdMemberIdentity {
  const [machine, ...others] = machineSet.machines;
  const endpoint = model.endpoints.etcd.members.find((member) => member.name === machine?.name);
  if (machine === undefined || others.length > 0 || endpoint === undefined) {
    throw new HakocError(
      'HAKOC_RENDER_ETCD_MEMBER',
      `etcd modules render one member at a time, not the set ${machineSet.name} of ${machineSet.machines.length}`,
      { hint: 'pass { ...etcdSet, machines: [member] } for each member' },
    );
  }
  return { machine, endpoint };
}
