import { ExitCode } from '@hakoc/cli';
import { describe, expect, it } from 'vitest';
import { sharedClusterFixture } from './support/cluster-fixture.js';
import { expectEveryMachineRolls } from './support/every-machine-rolls.js';

// Certificate rotation on the GCE emulator: `hakoc certs renew` re-issues the leaves in the key
// store, and the next apply rolls every machine that carries one — etcd members one at a time
// (each new certificate is in the member's own config), the control plane and the workers
// through new templates — after which there is nothing left to do.

const cluster = sharedClusterFixture('gce');
const { hakoc } = cluster;
const changedSteps = () => cluster.changedSteps();

describe('renewing the certificates on the GCE emulator', () => {
  it('rolls the etcd members one at a time and the groups to new templates, then plans nothing', {
    timeout: 180_000,
  }, async () => {
    await cluster.applyApproved();
    expect(await changedSteps()).toEqual([]);

    const renew = await hakoc('certs', 'renew', cluster.spec);
    expect(renew.code, renew.err).toBe(ExitCode.Ok);
    expectEveryMachineRolls(await changedSteps());

    await cluster.applyApproved();
    expect(await changedSteps()).toEqual([]);
  });
});
