import {
  apply,
  breakLock,
  type ClusterModel,
  createOwner,
  isApplyError,
  isLockedError,
  isProviderError,
  plan,
  type RetryPolicy,
} from '@hakoc/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordReliability } from '../../core/test/reliability/support/results.js';
import { FAULT_KINDS, type GceEmulator, startGceEmulator } from '../src/emulator/index.js';
import { type GceProvider, gce } from '../src/index.js';
import { emulatorOptions, exampleModel, inputOf } from './provider/fixtures.js';

// Fault storms: the example HA cluster applied while the emulator fails calls at random with
// every fault it knows — 429, 503, resourceNotReady, failed operations, operations slower than
// the provider waits, connections reset before and after the call was carried out, answers
// that are not JSON or cut off halfway. Every apply must end in time, either done or with an
// ApplyError that names what is unfinished (never a raw error, never retrying forever), and
// an apply once the storm has passed must leave exactly the cluster: no duplicate, no leak.

const STORMS = [
  ...[1, 2, 3, 4, 5, 6].map((seed) => ({ rate: 0.05, seed })),
  ...[1, 2, 3, 4, 5, 6].map((seed) => ({ rate: 0.15, seed })),
  ...[1, 2, 3, 4].map((seed) => ({ rate: 0.3, seed })),
];
/** The provider's longest wait for one operation; slow operations take longer. */
const OPERATION_TIMEOUT_MS = 1_500;
const SLOW_OPERATION_MS = 3_000;
/** Quick, bounded retries: the emulator's latencies are milliseconds. */
const RETRY: RetryPolicy = { retries: 5, minDelayMs: 5, maxDelayMs: 100, maxRetryTimeMs: 10_000 };
const TIMEOUTS = { stepMs: 15_000, settleMs: 3_000 };
/** Past this, an apply is hung: far beyond what its step and retry limits allow. */
const HUNG_AFTER_MS = 120_000;

let emulator: GceEmulator;
const model: ClusterModel = exampleModel();
const owner = createOwner('demo');
/** What the emulator holds with the cluster applied. */
let reference: string[];
const providers: GceProvider[] = [];

function provider(): GceProvider {
  const made = gce({
    model,
    endpoint: emulator.url,
    requestsPerSecond: 0,
    operationTimeoutMs: OPERATION_TIMEOUT_MS,
  });
  providers.push(made);
  return made;
}

/** The project's objects, MIG-made instances and disks without their random suffix. */
function inventory(): string[] {
  return emulator
    .resources(/^projects\/my-project\//)
    .map(({ path }) => path)
    .filter((path) => !path.includes('/operations/'))
    .map((path) =>
      path.replace(/\/(instances|disks)\/(demo-(?:controller|worker))-[a-z0-9]{4}$/, '/$1/$2-*'),
    )
    .sort();
}

/** Lets pending operations (slow ones included) finish and groups reach their size. */
async function settled(): Promise<string[]> {
  let previous = inventory();
  for (let round = 0; round < 400; round++) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    emulator.settle();
    const current = inventory();
    if (
      round >= 5 &&
      current.join('\n') === previous.join('\n') &&
      emulator.snapshot().pending.length === 0
    ) {
      return current;
    }
    previous = current;
  }
  return previous;
}

/** Rejects when `work` runs past the hang limit. */
async function withinDeadline<T>(work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`hung: still running after ${HUNG_AFTER_MS} ms`)),
      HUNG_AFTER_MS,
    );
  });
  try {
    return await Promise.race([work, hung]);
  } finally {
    clearTimeout(timer);
  }
}

beforeAll(async () => {
  emulator = await startGceEmulator(emulatorOptions({ seed: 1 }));
  const planned = await plan(inputOf(model), provider(), { owner, retry: RETRY });
  await apply(planned, { retry: RETRY });
  reference = await settled();
  emulator.reset();
}, 120_000);

afterAll(async () => {
  await Promise.all(providers.map((p) => p.close()));
  await emulator?.close();
});

describe('fault storms', () => {
  it(`end every apply in time, done or naming what is unfinished (${STORMS.length} storms)`, async () => {
    const outcomes = { finished: 0, applyError: 0, planRefused: 0, lockFailed: 0, staleLocks: 0 };
    const seen = new Map<string, number>();
    const reasons = new Map<string, number>();
    const conflicts: string[] = [];
    let calls = 0;
    await recordReliability(
      {
        id: 'fault-storms',
        area: 'The API misbehaving',
        test: `The example HA cluster applied through the real Google clients while the emulator fails ${STORMS.length} seeded storms of 5 %, 15 % and 30 % of calls with every fault it has (${FAULT_KINDS.join(', ')}); operations time out after ${OPERATION_TIMEOUT_MS / 1000} s, slow ones take ${SLOW_OPERATION_MS / 1000} s; then an apply with the storm over`,
        unit: 'storms',
        held: `every apply ends well inside ${HUNG_AFTER_MS / 1000} s, either done or with an ApplyError that names its first failure and lists its failed, unknown and never-started steps, each failed step with the ProviderError of its resource type as cause (a plan or lock acquisition the storm stops is a ProviderError); a lock the storm left behind refuses the next apply with LockedError until broken; no raw error; the apply after the storm finishes and leaves exactly the reference cluster`,
        seed: STORMS[0]?.seed ?? 0,
        file: import.meta.url,
      },
      async (cases) => {
        for (const storm of STORMS) {
          emulator.reset(storm.seed);
          emulator.clearLog();
          emulator.setFaults({
            rate: storm.rate,
            seed: storm.seed,
            kinds: FAULT_KINDS,
            slowOperationMs: SLOW_OPERATION_MS,
          });
          const label = `rate ${storm.rate}, seed ${storm.seed}`;
          const run = async () => {
            const planned = await plan(inputOf(model), provider(), { owner, retry: RETRY });
            return apply(planned, { retry: RETRY, timeouts: TIMEOUTS, concurrency: 8 });
          };
          const outcome = await withinDeadline(run()).then(
            () => undefined,
            (error: unknown) => error,
          );
          if (outcome === undefined) {
            outcomes.finished += 1;
          } else if (isApplyError(outcome)) {
            outcomes.applyError += 1;
            const unfinished =
              outcome.failed.length + outcome.unknown.length + outcome.notStarted.length;
            expect(unfinished, label).toBeGreaterThan(0);
            expect(outcome.message, label).toMatch(
              /\d+ finished, \d+ failed, \d+ not started, \d+ unknown/,
            );
            for (const { step, error } of outcome.failed) {
              const why = `${step.type} ${error.reason}${error.retryable ? ' (retries used up)' : ''}`;
              if (error.reason === 'conflict') conflicts.push(`${label}: ${error.message}`);
              reasons.set(why, (reasons.get(why) ?? 0) + 1);
              expect(isProviderError(error), `${label}: ${step.id}`).toBe(true);
              // The step names what is unfinished; its cause names the call that failed (for
              // a DNS record that can be the zone's record list, shared by every record).
              expect(error.resource ?? step.type, `${label}: ${step.id}`).toMatch(
                new RegExp(`^${step.type.replace('.', '\\.')}(/|$)`),
              );
              expect(outcome.message).toContain(outcome.failed[0]?.step.id ?? '');
            }
          } else {
            if (outcome instanceof Error && outcome.message.startsWith('hung')) throw outcome;
            // Stopped before any step: the plan's reads or the lock's calls ran out of retries.
            expect(isProviderError(outcome), `${label}: ${String(outcome)}`).toBe(true);
            if (isProviderError(outcome) && outcome.operation === 'lock') outcomes.lockFailed += 1;
            else outcomes.planRefused += 1;
          }
          for (const entry of emulator.log) {
            if (entry.fault !== undefined) seen.set(entry.fault, (seen.get(entry.fault) ?? 0) + 1);
          }
          calls += emulator.log.length;

          // The storm passes: the next apply finishes the job, exactly.
          emulator.setFaults({ rate: 0 });
          await settled();
          const again = await withinDeadline(
            plan(inputOf(model), provider(), { owner, retry: RETRY }),
          );
          const finish = () => withinDeadline(apply(again, { retry: RETRY, timeouts: TIMEOUTS }));
          await finish().catch(async (error: unknown) => {
            // A lock call whose outcome the storm hid (its operation outlived the wait, or
            // its answer was lost) can leave the lock behind: refused, clearly; the operator
            // breaks it, as `hakoc lock break` does.
            if (!isLockedError(error)) throw error;
            outcomes.staleLocks += 1;
            await breakLock(owner, provider(), { retry: RETRY });
            await finish();
          });
          expect(await settled(), label).toEqual(reference);
          const after = await plan(inputOf(model), provider(), { owner, retry: RETRY });
          expect(after.summary.changes, label).toBe(0);
          cases.add();
        }
        expect([...seen.keys()].sort()).toEqual([...FAULT_KINDS].sort());
        // Every conflict is about an object that is not the cluster's: never our own again.
        expect(
          conflicts.filter((message) => !message.includes('is not cluster demo')),
          conflicts.join('\n'),
        ).toEqual([]);
        cases.note(
          `${outcomes.finished} applies finished through the storm, ${outcomes.applyError} stopped with an ApplyError, ${outcomes.planRefused} plans and ${outcomes.lockFailed} lock acquisitions were stopped by it (ProviderError); ${outcomes.staleLocks} storms left the lock behind (the next apply refused with LockedError until it was broken); ${calls} calls, faults injected: ${[...seen].map(([kind, n]) => `${kind} ${n}`).join(', ')}; failed steps by reason: ${[...reasons].map(([why, n]) => `${why} ${n}`).join(', ')}`,
        );
      },
    );
  }, 1_800_000);

  it('refuses a cluster the quota cannot hold in preflight, before creating anything', async () => {
    await recordReliability(
      {
        id: 'quota-preflight',
        area: 'The API misbehaving',
        test: 'The example cluster planned in a project whose regional CPU, instance or in-use address quota is too small for it, with 10 % of calls failing (429 and 503) meanwhile',
        unit: 'quota shortfalls',
        held: 'plan stops in preflight with a ProviderError naming the quota and what the cluster needs; the emulator saw no insert, delete or other mutation',
        file: import.meta.url,
      },
      async (cases) => {
        for (const [metric, limit] of [
          ['CPUS', 4],
          ['INSTANCES', 3],
          ['IN_USE_ADDRESSES', 1],
        ] as const) {
          const tight = await startGceEmulator(
            emulatorOptions({
              seed: 3,
              faultRate: 0.1,
              quotas: {
                region: { CPUS: 500, INSTANCES: 500, IN_USE_ADDRESSES: 500, [metric]: limit },
              },
            }),
          );
          const made = gce({ model, endpoint: tight.url, requestsPerSecond: 0 });
          try {
            const failure = await plan(inputOf(model), made, { owner, retry: RETRY }).then(
              () => undefined,
              (error: unknown) => error,
            );
            expect(isProviderError(failure), metric).toBe(true);
            expect(String((failure as Error).message)).toContain(metric);
            expect(
              tight.log.filter(
                (entry) =>
                  entry.method !== 'GET' &&
                  entry.api === 'compute' &&
                  !entry.path.endsWith('/wait'),
              ),
            ).toEqual([]);
            cases.add();
          } finally {
            await made.close();
            await tight.close();
          }
        }
      },
    );
  }, 300_000);
});
