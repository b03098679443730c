import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../src/run-cli.js';
import { captureIo } from './capture-io.js';
import { scratch } from './command-harness.js';
import { jsonLines } from './support/cluster-fixture.js';
import { leaveStaleLock, lockIn } from './support/gce-lock.js';
import { STALE_LOCK } from './support/stale-lock.js';

// `hakoc lock break` and the lock as apply meets it, on the example spec against an emulator
// world kept in a file; the stale lock is planted through the provider, as a killed run leaves it.

const SPEC = 'examples/gce.yaml';

describe('hakoc lock break', () => {
  let tmp: ReturnType<typeof scratch>;
  let world: string;
  beforeEach(() => {
    tmp = scratch();
    world = join(tmp.dir, 'world.json');
  });
  afterEach(() => tmp.remove());

  const lockBreak = (...extra: string[]) => {
    const io = captureIo();
    return runCli(['lock', 'break', SPEC, '--emulator-state', world, ...extra], io).then(
      (code) => ({ code, out: io.out(), err: io.err() }),
    );
  };

  it('leaves an unlocked cluster alone', async () => {
    const run = await lockBreak('--json');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.out)).toEqual({ cluster: 'demo', broken: null });
    // With --json, stderr is JSON lines too.
    expect(jsonLines(run.err).at(-1)).toEqual({
      type: 'cli.lock',
      cluster: 'demo',
      lock: null,
      message: '✓ demo is not locked: nothing to break.',
    });
  });

  it('shows a stale lock and keeps it without a terminal unless --auto-approve (exit 4)', async () => {
    await leaveStaleLock(SPEC, world, STALE_LOCK);
    const refused = await lockBreak();
    expect(refused.code).toBe(4);
    expect(refused.err).toContain(
      'demo is locked by build-agent-7:4242 (apply since 2026-11-27T06:00:00.000Z)',
    );
    expect(refused.err).toContain('Lock kept. There is no terminal to ask for approval on.');
    expect(await lockIn(SPEC, world)).toEqual(STALE_LOCK);
  });

  it('keeps the lock when the answer at the prompt is no', async () => {
    await leaveStaleLock(SPEC, world, STALE_LOCK);
    const questions: string[] = [];
    const io = captureIo({
      confirm: async (question) => {
        questions.push(question);
        return false;
      },
    });
    expect(await runCli(['lock', 'break', SPEC, '--emulator-state', world], io)).toBe(4);
    expect(questions).toEqual([
      'Break the lock of demo? Only if build-agent-7:4242 is no longer running.',
    ]);
    expect(io.err()).toContain('Lock kept. (not approved)');
    expect(await lockIn(SPEC, world)).toEqual(STALE_LOCK);
  });

  it('breaks the lock when approved, and reports the lock it removed', async () => {
    await leaveStaleLock(SPEC, world, STALE_LOCK);
    const run = await lockBreak('--auto-approve', '--json');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.out)).toEqual({ cluster: 'demo', broken: STALE_LOCK });
    expect(run.err).toContain('✓ Broke the lock of demo (build-agent-7:4242');
    expect(await lockIn(SPEC, world)).toBeUndefined();
  });
});

describe('a cluster locked by another run', () => {
  let tmp: ReturnType<typeof scratch>;
  beforeEach(() => {
    tmp = scratch();
  });
  afterEach(() => tmp.remove());

  it('refuses destroy with exit 5, naming the holder and the command that breaks the lock', async () => {
    const world = join(tmp.dir, 'world.json');
    await leaveStaleLock(SPEC, world, STALE_LOCK);
    const io = captureIo();
    const args = ['destroy', SPEC, '--emulator-state', world, '--auto-approve'];
    expect(await runCli(args, io)).toBe(5);
    expect(io.err()).toContain('Cluster "demo" is locked by build-agent-7:4242 (apply since');
    expect(io.err()).toContain(`hakoc lock break ${SPEC} --emulator-state ${world}`);
    expect(await lockIn(SPEC, world)).toEqual(STALE_LOCK);

    const broken = captureIo();
    const breakArgs = ['lock', 'break', SPEC, '--emulator-state', world, '--auto-approve'];
    expect(await runCli(breakArgs, broken)).toBe(0);
    expect(await runCli(args, captureIo())).toBe(0);
  });
});
