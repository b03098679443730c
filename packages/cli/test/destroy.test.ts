import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_KUBERNETES_VERSION } from '@hakoc/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { destroyCommand } from '../src/commands/destroy.js';
import { runCli } from '../src/run-cli.js';
import { GCE_SPEC, runCommand, scratch } from './command-harness.js';
import { clusterFixture, startSysextRelease } from './support/cluster-fixture.js';

/** Paths of what an emulator state file holds, without operations and DNS change records. */
/**
 * The objects of a saved emulator world once its accepted operations have finished, as GCE
 * finishes them whether or not the caller waits (the cluster lock's release is started, not
 * waited for, so its delete may still be pending when the command exits).
 */
function storedPaths(stateFile: string): string[] {
  const snapshot = JSON.parse(readFileSync(stateFile, 'utf8')) as {
    resources: Record<string, unknown>;
    pending: { effects: { kind: string; path: string }[] }[];
  };
  const beingDeleted = new Set(
    snapshot.pending.flatMap((operation) =>
      operation.effects.filter((effect) => effect.kind === 'delete').map((effect) => effect.path),
    ),
  );
  return Object.keys(snapshot.resources)
    .filter((path) => !path.includes('/operations/') && !/\/changes\/\d+$/.test(path))
    .filter((path) => !beingDeleted.has(path))
    .sort();
}

describe('hakoc destroy', () => {
  let tmp: ReturnType<typeof scratch>;
  beforeEach(() => {
    tmp = scratch();
  });
  afterEach(() => tmp.remove());

  it('needs --auto-approve without a terminal (exit 4, not approved)', async () => {
    const run = await runCommand(destroyCommand, ['destroy', GCE_SPEC, '--emulator']);
    expect(run.code).toBe(4);
    expect(run.err).toContain('Destroying needs --auto-approve');
  });

  it('deletes nothing where the cluster owns nothing, and reports JSON', async () => {
    const state = join(tmp.dir, 'world.json');
    const run = await runCommand(destroyCommand, [
      'destroy',
      GCE_SPEC,
      '--emulator-state',
      state,
      '--auto-approve',
      '--json',
    ]);
    expect(run.code).toBe(0);
    expect((JSON.parse(run.out) as { totals: { done: number } }).totals.done).toBe(0);
  });

  it('applies the example and then destroys every object of it, through runCli', async () => {
    const release = await startSysextRelease(DEFAULT_KUBERNETES_VERSION);
    const cluster = clusterFixture('gce', release.baseUrl);
    try {
      const state = join(cluster.dir, 'world.json');
      const target = [cluster.spec, '--emulator-state', state, '--auto-approve'];
      const applyIo = cluster.io();
      expect(await runCli(['apply', ...target], applyIo)).toBe(0);
      const created = Number(/✓ Applied in .*: (\d+) created/.exec(applyIo.err())?.[1]);
      expect(created).toBeGreaterThan(20);
      expect(storedPaths(state).filter((p) => p.startsWith('projects/')).length).toBeGreaterThan(
        20,
      );

      // Destroy renders no boot config: it needs neither the key store nor its passphrase.
      const destroyIo = cluster.io({ HAKOC_PASSPHRASE: undefined });
      expect(await runCli(['destroy', ...target], destroyIo)).toBe(0);
      expect(destroyIo.err()).toContain(
        `: 0 created, 0 updated, 0 replaced, ${created} deleted, 0 failed`,
      );
      // Only the user's own DNS zone and the records it came with are left: no compute object, no
      // member instance or disk, no record of ours.
      const zone = 'dns/projects/my-project/managedZones/example-com';
      expect(storedPaths(state)).toEqual(
        [zone, `${zone}/rrsets/NS:k8s.example.com.`, `${zone}/rrsets/SOA:k8s.example.com.`].sort(),
      );
    } finally {
      cluster.remove();
      await release.close();
    }
  });
});
