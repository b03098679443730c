import type { ClusterModel } from '@hakoc/core';
import type { VagrantOutputs, VagrantRole } from '@hakoc/provider-vagrant';
import { type RoleStatus, roleStatus } from './role-status.js';

const ROLES: readonly { readonly role: VagrantRole; readonly shown: string }[] = [
  { role: 'etcd', shown: 'etcd' },
  { role: 'controlPlane', shown: 'control plane' },
  { role: 'worker', shown: 'workers' },
  { role: 'loadBalancer', shown: 'load balancer' },
];

/**
 * The roles of a Vagrant cluster: each one's VMs with Vagrant's state for them, against the
 * number the spec asks for (one load balancer VM). A VM that is not `running` is a problem.
 */
export function vagrantRoles(model: ClusterModel, outputs: VagrantOutputs): RoleStatus[] {
  const wanted: Record<VagrantRole, number> = {
    etcd: model.machineSets.etcd.count,
    controlPlane: model.machineSets.controlPlane.count,
    worker: model.machineSets.workers.count,
    loadBalancer: 1,
  };
  return ROLES.map(({ role, shown }) => {
    const machines = outputs.machines.filter((machine) => machine.role === role);
    const running = machines.filter((machine) => machine.vmState === 'running');
    const problems = [
      ...machines
        .filter((machine) => machine.vmState !== 'running')
        .map((machine) => `${machine.name} is ${machine.vmState}`),
      ...(machines.length < wanted[role]
        ? [`${wanted[role] - machines.length} of ${wanted[role]} machines do not exist`]
        : []),
    ];
    return roleStatus(
      shown,
      machines.length > 0,
      `${running.length} of ${wanted[role]} running`,
      problems,
      machines.map((m) => ({ name: m.name, state: m.vmState, ip: m.ip })),
    );
  });
}
