import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { breakLock, buildClusterModel, createOwner, loadClusterSpec } from '@hakoc/core';
import { gce } from '@hakoc/provider-gce';
import type { GceEmulator } from '@hakoc/provider-gce/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordReliability } from '../../core/test/reliability/support/results.js';
import {
  assertBuilt,
  CRASH_PASSPHRASE,
  type HakocExit,
  inventory,
  type JsonEvent,
  LOCK_PATH,
  runHakoc,
  seededRandom,
  settle,
  startCrashEmulator,
  startHakoc,
  writeExampleSpec,
} from './crash-harness.js';

// The built `hakoc` command, killed with SIGKILL at seeded moments while it creates or deletes
// the example HA cluster in a GCE emulator that outlives it. After every kill, running the same
// command again must finish, and leave exactly the cluster (after apply) or nothing of ours
// (after destroy): no duplicate, no orphan, no leaked instance template.

const SEED = 20261211;
const KILLS = 100;
/**
 * Independent copies of the setup (folder, key store, emulator) that take turns with the kills
 * in parallel: a hakoc process is mostly single-threaded start-up and crypto, so two keep both
 * cores of a small CI machine busy.
 */
const LANES = 2;
const area = 'Crashes and resumption' as const;
const SPEC = 'cluster.yaml';

/** One folder with the spec and its key store, and the emulator its hakoc processes talk to. */
interface Lane {
  readonly dir: string;
  readonly emulator: GceEmulator;
}

const lanes: Lane[] = [];
/** What an emulator holds with the cluster applied, and with nothing of ours. */
let applied: string[];
let empty: string[];

beforeAll(async () => {
  assertBuilt();
  const first = mkdtempSync(join(tmpdir(), 'hakoc-crash-'));
  writeExampleSpec(first);
  const emulator = await startCrashEmulator(SEED);
  lanes.push({ dir: first, emulator });
  empty = inventory(emulator);
  const keyStore = await runHakoc(first, emulator, ['certs', 'init', SPEC]);
  expect(keyStore.code, keyStore.stderr).toBe(0);
  while (lanes.length < LANES) {
    const dir = mkdtempSync(join(tmpdir(), 'hakoc-crash-'));
    cpSync(first, dir, { recursive: true });
    lanes.push({ dir, emulator: await startCrashEmulator(SEED) });
  }
}, 120_000);

afterAll(async () => {
  for (const lane of lanes) {
    await lane.emulator.close();
    rmSync(lane.dir, { recursive: true, force: true });
  }
});

function lane(index: number): Lane {
  const found = lanes[index];
  if (found === undefined) throw new Error(`no lane ${index}`);
  return found;
}

/** `hakoc apply|destroy` to its end, which must succeed. */
async function finish(at: Lane, operation: 'apply' | 'destroy'): Promise<HakocExit> {
  const run = await runHakoc(at.dir, at.emulator, [operation, SPEC, '--auto-approve', '--json']);
  expect(run.code, `${operation} exited ${run.code}:\n${run.stderr.slice(-3000)}`).toBe(0);
  return run;
}

/** The lock left by a killed run, broken through the engine as `hakoc lock break` does. */
async function breakStaleLock(at: Lane): Promise<void> {
  const model = buildClusterModel(loadClusterSpec(readFileSync(join(at.dir, SPEC), 'utf8')));
  const provider = gce({ model, endpoint: at.emulator.url, requestsPerSecond: 0 });
  try {
    await breakLock(createOwner(model.name), provider);
  } finally {
    await provider.close();
  }
}

const isResourceEvent = (event: JsonEvent) => event.type.startsWith('resource.');

/** What a lane's kills found. */
interface KillFigures {
  partial: number;
  staleLocks: number;
  brokenWithCli: number;
  missed: number;
}

/** The kills `kills` (alternately apply and destroy, from empty) on one lane. */
async function killAndResume(
  at: Lane,
  kills: readonly number[],
  random: () => number,
  figures: KillFigures,
  counted: () => void,
): Promise<void> {
  for (const kill of kills) {
    const operation = kill % 2 === 0 ? 'apply' : 'destroy';
    const run = startHakoc(at.dir, at.emulator, [operation, SPEC, '--auto-approve', '--json']);
    const started = await run.waitFor((event) => event.type === 'apply.started');
    const changes = Number(started?.changes ?? 0);
    // Each step makes a start and an end event: kill after a random one of them, a little later.
    const target = Math.floor(random() * 2 * changes);
    const delayMs = Math.floor(random() * 26);
    let seen = 0;
    await run.waitFor((event) => isResourceEvent(event) && seen++ >= target);
    await sleep(delayMs);
    if (!run.child.kill('SIGKILL') || (await run.exited).signal !== 'SIGKILL') figures.missed += 1;
    const reference = operation === 'apply' ? applied : empty;
    const left = await settle(at.emulator);
    if (left.join('\n') !== reference.join('\n')) figures.partial += 1;
    if (at.emulator.get(LOCK_PATH) !== undefined) {
      figures.staleLocks += 1;
      // Every tenth time through the command itself, to keep that path honest too.
      if (figures.staleLocks % 10 === 1) {
        const broken = await runHakoc(at.dir, at.emulator, [
          'lock',
          'break',
          SPEC,
          '--auto-approve',
        ]);
        expect(broken.code, broken.stderr).toBe(0);
        figures.brokenWithCli += 1;
      } else {
        await breakStaleLock(at);
      }
    }
    const again = await finish(at, operation);
    expect(again.stdout + again.stderr).not.toContain(CRASH_PASSPHRASE);
    expect(await settle(at.emulator), `${operation} after kill ${kill}`).toEqual(reference);
    counted();
  }
}

describe('hakoc apply and destroy killed with SIGKILL', () => {
  it('create the expected cluster from empty and delete all of it (the reference)', async () => {
    const at = lane(0);
    await finish(at, 'apply');
    applied = await settle(at.emulator);
    expect(applied.some((path) => path.includes('/instanceTemplates/'))).toBe(true);
    expect(applied.filter((path) => path.includes('/instances/')).length).toBeGreaterThan(5);
    expect(applied).not.toContain(LOCK_PATH);
    await finish(at, 'destroy');
    expect(await settle(at.emulator)).toEqual(empty);
  }, 120_000);

  it('refuse a second apply while one holds the lock, naming the holder', async () => {
    const at = lane(0);
    const { dir, emulator } = at;
    await recordReliability(
      {
        id: 'crash-lock',
        area,
        test: 'Two `hakoc apply` at once (the first paused with SIGSTOP while it holds the lock), and an apply after one was SIGKILLed holding it, then `hakoc lock break SPEC --auto-approve`',
        unit: 'scenarios',
        held: 'the second apply is refused with exit 5, names the holder (host:pid) and the exact `hakoc lock break` command, and changes nothing; the paused apply then finishes; after the break, apply finishes with exactly the expected cluster',
        file: import.meta.url,
      },
      async (cases) => {
        const first = startHakoc(dir, emulator, ['apply', SPEC, '--auto-approve', '--json']);
        const acquired = await first.waitFor((event) => event.type === 'lock.acquired');
        expect(acquired?.holder).toEqual(expect.stringMatching(/:\d+$/));
        first.child.kill('SIGSTOP');
        const before = inventory(emulator);
        const second = await runHakoc(dir, emulator, ['apply', SPEC, '--auto-approve']);
        expect(second.code, second.stderr).toBe(5);
        expect(second.stderr).toContain(`is locked by ${String(acquired?.holder)}`);
        expect(second.stderr).toContain('hakoc lock break cluster.yaml');
        expect(inventory(emulator)).toEqual(before);
        first.child.kill('SIGCONT');
        const resumed = await first.exited;
        expect(resumed.code, resumed.stderr.slice(-3000)).toBe(0);
        expect(await settle(emulator)).toEqual(applied);
        await finish(at, 'destroy');
        cases.add();

        const killed = startHakoc(dir, emulator, ['apply', SPEC, '--auto-approve', '--json']);
        const holder = (await killed.waitFor((event) => event.type === 'lock.acquired'))?.holder;
        await killed.waitFor((event, index) => isResourceEvent(event) && index > 8);
        killed.child.kill('SIGKILL');
        await killed.exited;
        expect(emulator.get(LOCK_PATH)).toBeDefined();
        const refused = await runHakoc(dir, emulator, ['apply', SPEC, '--auto-approve']);
        expect(refused.code, refused.stderr).toBe(5);
        expect(refused.stderr).toContain(`is locked by ${String(holder)}`);
        const broken = await runHakoc(dir, emulator, ['lock', 'break', SPEC, '--auto-approve']);
        expect(broken.code, broken.stderr).toBe(0);
        expect(broken.stderr).toContain('Broke the lock of demo');
        expect(emulator.get(LOCK_PATH)).toBeUndefined();
        await finish(at, 'apply');
        expect(await settle(emulator)).toEqual(applied);
        await finish(at, 'destroy');
        expect(await settle(emulator)).toEqual(empty);
        for (const run of [second, refused, broken]) {
          expect(run.stdout + run.stderr).not.toContain(CRASH_PASSPHRASE);
        }
        cases.add();
      },
    );
  }, 300_000);

  it(`finish after ${KILLS} SIGKILLs at seeded moments, alternating apply and destroy`, async () => {
    const figures: KillFigures = { partial: 0, staleLocks: 0, brokenWithCli: 0, missed: 0 };
    await recordReliability(
      {
        id: 'crash-sigkill',
        area,
        test: `The built \`hakoc apply\` / \`hakoc destroy\` on the example HA cluster (3 etcd, 3 controllers, autoscaled workers over 3 zones), SIGKILLed at ${KILLS} seeded moments inside its apply phase (after a random number of resource events plus 0–25 ms), alternating apply and destroy, against an emulator that outlives it (${LANES} clusters in parallel); after each kill a stale lock is broken and the command run again`,
        unit: 'SIGKILLs',
        held: 'every second run finishes (exit 0) and prints no passphrase; after apply the emulator holds exactly the reference cluster (no duplicate, orphan or leaked instance template), after destroy nothing of ours',
        seed: SEED,
        file: import.meta.url,
      },
      async (cases) => {
        await Promise.all(
          lanes.map((at, index) => {
            // Lane i takes every LANES-th pair of kills, so each lane alternates apply, destroy.
            const kills = Array.from({ length: KILLS }, (_, kill) => kill).filter(
              (kill) => Math.floor(kill / 2) % LANES === index,
            );
            return killAndResume(at, kills, seededRandom(SEED + index), figures, () => cases.add());
          }),
        );
        expect(figures.missed).toBeLessThan(KILLS / 10);
        cases.note(
          `${figures.partial} kills left a half-built or half-deleted cluster, ${figures.staleLocks} a stale lock (${figures.brokenWithCli} broken with \`hakoc lock break\`, the rest through the engine's breakLock), ${figures.missed} came after the process had already finished`,
        );
      },
    );
  }, 1_800_000);
});
