import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ExitCode } from '@hakoc/cli';
import { describe, expect, it } from 'vitest';
import { sharedClusterFixture } from './support/cluster-fixture.js';

// Certificate rotation on the GCE emulator: `hakoc certs renew` re-issues the leaves in the key
// store, and the next apply rolls every machine that carries one — etcd members one at a time
// (each new certificate is in the member's own config), the control plane and the workers
// through new templates — after which there is nothing left to do.

interface PlanStep {
  readonly id: string;
  readonly action: string;
  readonly type: string;
  readonly name: string;
  readonly dependsOn: readonly string[];
}

const cluster = sharedClusterFixture('gce');
const { hakoc } = cluster;

async function planSteps(): Promise<PlanStep[]> {
  const out = join(cluster.dir, 'plan.json');
  const run = await hakoc('plan', cluster.spec, '--emulator-state', cluster.world, '--out', out);
  expect(run.code, run.err).toBe(ExitCode.Ok);
  return (JSON.parse(readFileSync(out, 'utf8')) as { plan: { steps: PlanStep[] } }).plan.steps;
}

describe('renewing the certificates on the GCE emulator', () => {
  it('rolls the etcd members one at a time and the groups to new templates, then plans nothing', {
    timeout: 180_000,
  }, async () => {
    const first = await hakoc(
      'apply',
      cluster.spec,
      '--emulator-state',
      cluster.world,
      '--auto-approve',
    );
    expect(first.code, first.err).toBe(ExitCode.Ok);
    expect((await planSteps()).filter((s) => s.action !== 'noop')).toEqual([]);

    const renew = await hakoc('certs', 'renew', cluster.spec);
    expect(renew.code, renew.err).toBe(ExitCode.Ok);
    const steps = await planSteps();
    const changed = steps.filter((s) => s.action !== 'noop');
    const members = changed.filter((s) => s.type === 'gce.etcdMember');
    expect(members.map((s) => `${s.action} ${s.name}`)).toEqual([
      'update demo-etcd-0',
      'update demo-etcd-1',
      'update demo-etcd-2',
    ]);
    // One at a time: each member waits for the one before it.
    expect(members[1]?.dependsOn).toContain(members[0]?.id);
    expect(members[2]?.dependsOn).toContain(members[1]?.id);
    // The control plane and the workers get new templates (their configs hold the renewed
    // certificates), rolled after etcd; the old templates go once nothing uses them.
    const templates = changed.filter((s) => s.type === 'gce.instanceTemplate');
    expect(
      templates.map((s) => `${s.action} ${s.name.replace(/-[0-9a-f]{8}$/, '')}`).sort(),
    ).toEqual([
      'create demo-controller',
      'create demo-worker',
      'delete demo-controller',
      'delete demo-worker',
    ]);
    const controllers = changed.find((s) => s.id === 'gce.instanceGroup/demo-controller');
    expect(controllers?.action).toBe('update');
    expect(controllers?.dependsOn).toEqual(expect.arrayContaining(members.map((s) => s.id)));
    expect(changed.find((s) => s.id === 'gce.instanceGroup/demo-worker')?.dependsOn).toContain(
      'gce.instanceGroup/demo-controller',
    );

    const rolled = await hakoc(
      'apply',
      cluster.spec,
      '--emulator-state',
      cluster.world,
      '--auto-approve',
    );
    expect(rolled.code, rolled.err).toBe(ExitCode.Ok);
    expect((await planSteps()).filter((s) => s.action !== 'noop')).toEqual([]);
  });
});
