import { ExitCode } from '@hakoc/cli';
import { describe, expect, it } from 'vitest';
import { sharedClusterFixture } from './support/cluster-fixture.js';
import { expectEveryMachineRolls } from './support/every-machine-rolls.js';

// A CA rotation on the GCE emulator: each of its three steps (`hakoc certs rotate-ca`, then
// `--switch`, then `--finish`) changes what every machine trusts or presents, so the apply
// after each rolls every machine — etcd members one at a time, the control plane and the
// workers through new templates, after etcd — and then there is nothing left to do.

const cluster = sharedClusterFixture('gce');
const { hakoc } = cluster;

const changedSteps = () => cluster.changedSteps();

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
