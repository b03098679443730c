import { ExitCode } from '@hakoc/cli';
import { describe, expect, it } from 'vitest';
import { type PlannedStep, sharedClusterFixture } from './support/cluster-fixture.js';

// A CA rotation on the GCE emulator: each of its three steps (`hakoc certs rotate-ca`, then
// `--switch`, then `--finish`) changes what every machine trusts or presents, so the apply
// after each rolls every machine — etcd members one at a time, the control plane and the
// workers through new templates, after etcd — and then there is nothing left to do.

const cluster = sharedClusterFixture('gce');
const { hakoc } = cluster;

async function changedSteps(): Promise<PlannedStep[]> {
  return (await cluster.plannedSteps()).filter((step) => step.action !== 'noop');
}

/** The plan after a step: every machine rolls, etcd one member at a time and first. */
function expectEveryMachineRolls(changed: readonly PlannedStep[]): void {
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
  expect(controllers?.dependsOn).toEqual(expect.arrayContaining(members.map((s) => s.id)));
  expect(changed.find((s) => s.id === 'gce.instanceGroup/demo-worker')?.dependsOn).toContain(
    'gce.instanceGroup/demo-controller',
  );
}

describe('rotating the CAs on the GCE emulator', () => {
  it('rolls every machine after each of the three steps, then plans nothing', {
    timeout: 400_000,
  }, async () => {
    await cluster.applyApproved();
    expect(await changedSteps()).toEqual([]);
    for (const step of [['--overlap', '0'], ['--switch'], ['--finish']]) {
      const rotate = await hakoc('certs', 'rotate-ca', cluster.spec, ...step);
      expect(rotate.code, rotate.err).toBe(ExitCode.Ok);
      expectEveryMachineRolls(await changedSteps());
      await cluster.applyApproved();
      expect(await changedSteps(), `after ${step.join(' ')}`).toEqual([]);
    }
  });
});
