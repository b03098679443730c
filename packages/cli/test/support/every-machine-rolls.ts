import { expect } from 'vitest';
import type { PlannedStep } from './cluster-fixture.js';

/**
 * The plan after a change every machine of the example GCE cluster carries (renewed leaves, a
 * CA rotation step): the etcd members are updated one at a time, each after the one before it;
 * the control plane and the workers get new templates (the old ones go once unused), the
 * control-plane group rolls after every member and the workers' group after it.
 */
export function expectEveryMachineRolls(changed: readonly PlannedStep[]): void {
  const members = changed.filter((s) => s.type === 'gce.etcdMember');
  expect(members.map((s) => `${s.action} ${s.name}`)).toEqual([
    'update demo-etcd-0',
    'update demo-etcd-1',
    'update demo-etcd-2',
  ]);
  expect(members[1]?.dependsOn).toContain(members[0]?.id);
  expect(members[2]?.dependsOn).toContain(members[1]?.id);
  const templates = changed.filter((s) => s.type === 'gce.instanceTemplate');
  expect(templates.map((s) => `${s.action} ${s.name.replace(/-[0-9a-f]{8}$/, '')}`).sort()).toEqual(
    [
      'create demo-controller',
      'create demo-worker',
      'delete demo-controller',
      'delete demo-worker',
    ],
  );
  const controllers = changed.find((s) => s.id === 'gce.instanceGroup/demo-controller');
  expect(controllers?.action).toBe('update');
  expect(controllers?.dependsOn).toEqual(expect.arrayContaining(members.map((s) => s.id)));
  expect(changed.find((s) => s.id === 'gce.instanceGroup/demo-worker')?.dependsOn).toContain(
    'gce.instanceGroup/demo-controller',
  );
}
