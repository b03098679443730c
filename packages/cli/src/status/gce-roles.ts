import type { ActualResource, ClusterModel } from '@hakoc/core';
import {
  ADDRESS_TYPE,
  AUTOSCALER_TYPE,
  BACKEND_SERVICE_TYPE,
  ETCD_MEMBER_TYPE,
  FORWARDING_RULE_TYPE,
  type GceBackendHealth,
  type GceGroupMachines,
  type GceOutputs,
  type GceState,
  INSTANCE_GROUP_TYPE,
  INSTANCE_TEMPLATE_TYPE,
  type InstanceGroupSpec,
} from '@hakoc/provider-gce';
import type { ResourceTypeStatus } from './resource-status.js';
import { roleProblems } from './role-problems.js';
import {
  type BackendStatus,
  type MachineStatus,
  type RoleStatus,
  roleStatus,
} from './role-status.js';

/** A machine as shown: its status, and what its group is doing to it when anything. */
function machineOf(machine: GceGroupMachines['machines'][number]): MachineStatus {
  const doing = machine.action === 'NONE' ? '' : ` (${machine.action.toLowerCase()})`;
  const health = machine.health === undefined ? '' : `, ${machine.health.toLowerCase()}`;
  return {
    name: machine.name,
    state: `${machine.status.toLowerCase()}${doing}${health}`,
    zone: machine.zone,
  };
}

/** A machine that is not running, being changed, or failing its health check. */
function machineProblems(group: GceGroupMachines | undefined): string[] {
  return (group?.machines ?? [])
    .filter(
      (m) => m.status !== 'RUNNING' || m.action !== 'NONE' || (m.health ?? 'HEALTHY') !== 'HEALTHY',
    )
    .map((m) => `${m.name} is ${machineOf(m).state}`);
}

const running = (group: GceGroupMachines | undefined) =>
  (group?.machines ?? []).filter((m) => m.status === 'RUNNING').length;

/**
 * The roles of a GCE cluster from what its types listed and its groups' machines: the etcd
 * members (each a stateful group of one, with its fixed IP, and its instance), the
 * control-plane group (template, zones, size, instances), the workers (group size against the
 * autoscaler's bounds and the spec's, instances) and the API load balancer (address,
 * forwarding rule, backend service, and how many of its backends pass its health check in each
 * zone).
 */
export function gceRoles(
  model: ClusterModel,
  outputs: GceOutputs,
  actual: readonly ActualResource[],
  resources: readonly ResourceTypeStatus[],
  groups: readonly GceGroupMachines[],
  backendHealth: readonly GceBackendHealth[],
): RoleStatus[] {
  const sets = model.machineSets;
  const groupOf = (name: string) => groups.find((g) => g.group === name);
  const groupSize = (name: string) =>
    groupOf(name)?.targetSize ??
    actual
      .filter((a) => a.type === INSTANCE_GROUP_TYPE && a.state.name === name)
      .map((a) => (a.state as GceState<InstanceGroupSpec>).fields.fixedSize)[0];
  const templatesOf = (set: string) => (name: string) => name.startsWith(`${set}-`);

  const members = outputs.etcd;
  const etcdProblems = [
    ...roleProblems(resources, ETCD_MEMBER_TYPE),
    ...members.filter((m) => m.ip === '').map((m) => `${m.name} has no fixed IP configured`),
    ...members.flatMap((m) => machineProblems(groupOf(m.name))),
  ];
  const etcd = roleStatus(
    'etcd',
    members.length > 0,
    `${members.length} of ${sets.etcd.count} members`,
    etcdProblems,
    members.map((m) => {
      const instance = groupOf(m.name)?.machines[0];
      const state = instance === undefined ? 'no instance' : machineOf(instance).state;
      return { name: m.name, state, ip: m.ip, zone: m.zone };
    }),
  );

  const control = outputs.controlPlane;
  const controlGroup = groupOf(sets.controlPlane.name);
  const controlPlane = roleStatus(
    'control plane',
    control !== undefined,
    control === undefined
      ? `no group (the spec wants ${sets.controlPlane.count} machines)`
      : `group ${control.name}: ${running(controlGroup)} of ${sets.controlPlane.count} running over ${control.zones.join(', ')}, template ${control.template}`,
    [
      ...roleProblems(resources, INSTANCE_GROUP_TYPE, (name) => name === sets.controlPlane.name),
      ...roleProblems(resources, INSTANCE_TEMPLATE_TYPE, templatesOf(sets.controlPlane.name)),
      ...machineProblems(controlGroup),
      ...(control !== undefined && running(controlGroup) < sets.controlPlane.count
        ? [
            `${sets.controlPlane.count - running(controlGroup)} of ${sets.controlPlane.count} machines are not running`,
          ]
        : []),
    ],
    (controlGroup?.machines ?? []).map(machineOf),
  );

  const group = outputs.workers;
  const wanted = sets.workers.autoscaling;
  const bounds = group?.autoscaling;
  const workerGroup = groupOf(sets.workers.name);
  const workerProblems = [
    ...roleProblems(resources, INSTANCE_GROUP_TYPE, (name) => name === sets.workers.name),
    ...roleProblems(resources, AUTOSCALER_TYPE),
    ...roleProblems(resources, INSTANCE_TEMPLATE_TYPE, templatesOf(sets.workers.name)),
    ...machineProblems(workerGroup),
  ];
  const size = group === undefined ? undefined : groupSize(group.name);
  const workers = roleStatus(
    'workers',
    group !== undefined,
    group === undefined
      ? 'no group'
      : bounds === undefined
        ? `group ${group.name}: ${running(workerGroup)} running of ${size ?? '?'}, not autoscaled`
        : `group ${group.name}: ${running(workerGroup)} running of ${size ?? '?'}, autoscaled ${bounds.min}–${bounds.max}${wanted ? ` (spec ${wanted.min}–${wanted.max})` : ''} over ${group.zones.join(', ')}`,
    workerProblems,
    (workerGroup?.machines ?? []).map(machineOf),
  );

  const loadBalancerTypes = [ADDRESS_TYPE, FORWARDING_RULE_TYPE, BACKEND_SERVICE_TYPE];
  const address = outputs.apiAddress;
  const backends: BackendStatus[] = backendHealth.flatMap((backend) =>
    backend.zones.map((zone) => ({ group: backend.group, ...zone })),
  );
  const healthy = backends.reduce((sum, backend) => sum + backend.healthy, 0);
  const total = backends.reduce((sum, backend) => sum + backend.total, 0);
  const loadBalancer = roleStatus(
    'load balancer',
    address !== undefined,
    `${outputs.apiUrl} → ${address ?? 'no address'}${outputs.internalLoadBalancer ? ' (internal)' : ''}${backendHealth.length > 0 ? `, backends ${healthy}/${total} healthy` : ''}`,
    [
      ...loadBalancerTypes.flatMap((type) => roleProblems(resources, type)),
      ...backendHealth
        .filter((backend) => backend.zones.length === 0)
        .map((backend) => `${backend.group} has no machine behind the load balancer`),
      ...backends
        .filter((backend) => backend.healthy < backend.total)
        .map(
          (backend) =>
            `${backend.total - backend.healthy} of ${backend.total} machines of ${backend.group} in ${backend.zone} fail the load balancer's health check`,
        ),
    ],
  );
  return [etcd, controlPlane, workers, { ...loadBalancer, backends }];
}
