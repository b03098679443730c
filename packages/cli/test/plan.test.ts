import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { planCommand } from '../src/commands/plan.js';
import { GCE_SPEC, runCommand, scratch } from './command-harness.js';

describe('hakoc plan', () => {
  let tmp: ReturnType<typeof scratch>;
  beforeEach(() => {
    tmp = scratch();
  });
  afterEach(() => tmp.remove());

  it('shows what an empty project needs, and exits 2 with --detailed-exitcode', async () => {
    const state = join(tmp.dir, 'world.json');
    const run = await runCommand(planCommand, [
      'plan',
      GCE_SPEC,
      '--emulator-state',
      state,
      '--detailed-exitcode',
    ]);
    expect(run.code).toBe(2);
    expect(run.out).toContain('+  gce.etcdMember');
    expect(run.out).toMatch(/26 to create, 0 to update, 0 to replace, 0 to delete/);
  });

  it('prints the plan document with --json and saves it with --out', async () => {
    const out = join(tmp.dir, 'plan.json');
    const run = await runCommand(planCommand, [
      'plan',
      GCE_SPEC,
      '--emulator',
      '--json',
      '--out',
      out,
    ]);
    expect(run.code).toBe(0);
    const document = JSON.parse(run.out) as { provider: string; summary: { create: number } };
    expect(document.provider).toBe('gce');
    expect(document.summary.create).toBe(26);
    expect(run.out).not.toContain('ignition');
  });
});
