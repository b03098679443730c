import { ExitCode } from '@hakoc/cli';
import { describe, expect, it } from 'vitest';
import { sharedClusterFixture } from './support/cluster-fixture.js';

// Certificate rotation on the GCE emulator: `hakoc certs renew` re-issues the leaves in the key
// store, and the next apply rolls every machine that carries one — etcd members one at a time
// (each new certificate is in the member's own config), the control plane and the workers
// through new templates — after which there is nothing left to do.

const cluster = sharedClusterFixture('gce');
const { hakoc } = cluster;
const changedSteps = async () =>
  (await cluster.plannedSteps()).filter((step) => step.action !== 'noop');

describe('renewing the certificates on the GCE emulator', () => {
  it('rolls the etcd members one at a time and the groups to new templates, then plans nothing', {
    timeout: 180_000,
  }, async () => {
    await cluster.applyApproved();
    expect(await changedSteps()).toEqual([]);

    const renew = await hakoc('certs', 'renew', cluster.spec);
    expect(renew.code, renew.err).toBe(ExitCode.Ok);
    const changed = await changedSteps();
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

    await cluster.applyApproved();
    expect(await changedSteps()).toEqual([]);
  });
});
