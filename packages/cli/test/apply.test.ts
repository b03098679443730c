import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyCommand } from '../src/commands/apply.js';
import { planCommand } from '../src/commands/plan.js';
import { GCE_SPEC, runCommand, scratch } from './command-harness.js';

describe('hakoc apply', () => {
  let tmp: ReturnType<typeof scratch>;
  beforeEach(() => {
    tmp = scratch();
  });
  afterEach(() => tmp.remove());

  it('changes nothing without --auto-approve, applies a saved plan, then plans no changes', async () => {
    const state = join(tmp.dir, 'world.json');
    const refused = await runCommand(applyCommand, ['apply', GCE_SPEC, '--emulator-state', state]);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('Nothing applied');

    const planFile = join(tmp.dir, 'plan.json');
    await runCommand(planCommand, ['plan', GCE_SPEC, '--emulator-state', state, '--out', planFile]);
    const applied = await runCommand(applyCommand, ['apply', planFile, '--emulator-state', state]);
    expect(applied.code).toBe(0);
    expect(applied.err).toMatch(
      /✓ Applied in .*: 26 created, 0 updated, 0 replaced, 0 deleted, 0 failed/,
    );
    expect(applied.out).toMatch(
      /^API: https:\/\/api\.k8s\.example\.com:6443 \(\d+\.\d+\.\d+\.\d+\)/,
    );

    const again = await runCommand(planCommand, [
      'plan',
      GCE_SPEC,
      '--emulator-state',
      state,
      '--detailed-exitcode',
    ]);
    expect(again.code).toBe(0);
    expect(again.out).toContain('No changes.');
  });

  it('applies a spec with --auto-approve and reports JSON', async () => {
    const run = await runCommand(applyCommand, [
      'apply',
      GCE_SPEC,
      '--emulator',
      '--auto-approve',
      '--json',
    ]);
    expect(run.code).toBe(0);
    const result = JSON.parse(run.out) as { totals: { done: number }; outputs: { apiUrl: string } };
    expect(result.totals.done).toBe(26);
    expect(result.outputs.apiUrl).toBe('https://api.k8s.example.com:6443');
  });
});
