import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { destroyCommand } from '../src/commands/destroy.js';
import { GCE_SPEC, runCommand, scratch } from './command-harness.js';

// Destroying an applied cluster in the emulator stalls on an emulator gap (it counts an
// address's `users` and a group's `status.autoscaler` back-references as uses, which GCE does
// not); the provider tests cover a full destroy with that gap worked around.
describe('hakoc destroy', () => {
  let tmp: ReturnType<typeof scratch>;
  beforeEach(() => {
    tmp = scratch();
  });
  afterEach(() => tmp.remove());

  it('needs --auto-approve', async () => {
    const run = await runCommand(destroyCommand, ['destroy', GCE_SPEC, '--emulator']);
    expect(run.code).toBe(1);
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
});
