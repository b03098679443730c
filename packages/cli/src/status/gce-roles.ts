import type { ActualResource, ClusterModel } from '@hakoc/core';
import {
  ADDRESS_TYPE,
  AUTOSCALER_TYPE,
  BACKEND_SERVICE_TYPE,
  ETCD_MEMBER_TYPE,
  FORWARDING_RULE_TYPE,
  type GceOutputs,
  type GceState,
  INSTANCE_GROUP_TYPE,
  INSTANCE_TEMPLATE_TYPE,
  type InstanceGroupSpec,
} from '@hakoc/provider-gce';
import type { ResourceTypeStatus } from './resource-status.js';
import { roleProblems } from './role-problems.js';
import { type RoleStatus, roleStatus } from './role-status.js';

/**
 * The roles of a GCE cluster from what its types listed: the etcd members (each a stateful group
 * of one, with its fixed IP), the control-plane group (template, zones, size), the workers
 * (group and autoscaler bounds against the spec's) and the API load balancer (address,
 * forwarding rule, backend service).
 */
export function gceRoles(
  model: ClusterModel,
  outputs: GceOutputs,
  actual: readonly ActualResource[],
  resources: readonly ResourceTypeStatus[],
): RoleStatus[] {
  const sets = model.machineSets;
  const groupSize = (name: string) =>
    actual
      .filter((a) => a.type === INSTANCE_GROUP_TYPE && a.state.name === name)
      .map((a) => (a.state as GceState<InstanceGroupSpec>).fields.fixedSize)[0];
  const templatesOf = (set: string) => (name: string) => name.startsWith(`${set}-`);

  const members = outputs.etcd;
  const etcdProblems = [
    ...roleProblems(resources, ETCD_MEMBER_TYPE),
    ...members.filter((m) => m.ip === '').map((m) => `${m.name} has no fixed IP configured`),
  ];
  const etcd = roleStatus(
    'etcd',
    members.length > 0,
    `${members.length} of ${sets.etcd.count} members`,
    etcdProblems,
    members.map((m) => ({
      name: m.name,
      state: m.ip === '' ? 'no per-instance config' : 'configured',
      ip: m.ip,
      zone: m.zone,
    })),
  );

  const control = outputs.controlPlane;
  const controlSize = control === undefined ? undefined : groupSize(control.name);
  const controlPlane = roleStatus(
    'control plane',
    control !== undefined,
    control === undefined
      ? `no group (the spec wants ${sets.controlPlane.count} machines)`
      : `group ${control.name}: ${controlSize ?? '?'} of ${sets.controlPlane.count} machines over ${control.zones.join(', ')}, template ${control.template}`,
    [
      ...roleProblems(resources, INSTANCE_GROUP_TYPE, (name) => name === sets.controlPlane.name),
      ...roleProblems(resources, INSTANCE_TEMPLATE_TYPE, templatesOf(sets.controlPlane.name)),
    ],
  );

  const group = outputs.workers;
  const wanted = sets.workers.autoscaling;
  const bounds = group?.autoscaling;
  const workerProblems = [
    ...roleProblems(resources, INSTANCE_GROUP_TYPE, (name) => name === sets.workers.name),
    ...roleProblems(resources, AUTOSCALER_TYPE),
    ...roleProblems(resources, INSTANCE_TEMPLATE_TYPE, templatesOf(sets.workers.name)),
  ];
  const workers = roleStatus(
    'workers',
    group !== undefined,
    group === undefined
      ? 'no group'
      : bounds === undefined
        ? `group ${group.name}: ${groupSize(group.name) ?? '?'} machines, not autoscaled`
        : `group ${group.name}: autoscaled ${bounds.min}–${bounds.max}${wanted ? ` (spec ${wanted.min}–${wanted.max})` : ''} over ${group.zones.join(', ')}`,
    workerProblems,
  );

  const loadBalancerTypes = [ADDRESS_TYPE, FORWARDING_RULE_TYPE, BACKEND_SERVICE_TYPE];
  const address = outputs.apiAddress;
  const loadBalancer = roleStatus(
    'load balancer',
    address !== undefined,
    `${outputs.apiUrl} → ${address ?? 'no address'}${outputs.internalLoadBalancer ? ' (internal)' : ''}`,
    loadBalancerTypes.flatMap((type) => roleProblems(resources, type)),
  );
  return [etcd, controlPlane, workers, loadBalancer];
}
