import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  apply,
  breakLock,
  isLockedError,
  plan,
  readLock,
  resourceId,
} from '../../src/engine/index.js';
import { type MockFault, type MockProvider, seededRandom } from '../../src/testing/index.js';
import { clusterGraph, clusterProvider, fastRetry, owner } from './fixtures.js';

const schedules = 200;
const maxRuns = 12;

// A seeded schedule: a few faults (retryable and fatal errors, before or after the call takes
// effect, crashes of the applying process) at random calls, then none, so it must converge.
function faultSchedule(seed: number, crash: () => void) {
  const random = seededRandom(seed);
  let budget = 1 + Math.floor(random() * 6);
  const pick = (): MockFault => {
    const when = random() < 0.5 ? 'before' : 'after';
    const roll = random();
    if (roll < 0.35) return { kind: 'error', reason: 'unavailable', when };
    if (roll < 0.6) return { kind: 'error', reason: 'invalid', when };
    return { kind: 'crash', when };
  };
  return {
    random,
    faults: () => {
      if (budget <= 0 || random() > 0.12) return undefined;
      budget -= 1;
      const fault = pick();
      if (fault.kind === 'crash') crash();
      return fault;
    },
  };
}

async function seedPreviousCluster(provider: MockProvider): Promise<void> {
  const previous = clusterGraph({
    image: 'flatcar-0',
    workers: 1,
    etcd: 5,
    etcdZone: 'c',
    token: 'old',
  });
  await apply(await plan(previous, provider, { owner }), { retry: fastRetry });
}

describe('seeded fault schedules', () => {
  it.each([
    { schedules, latencyMs: 0, first: 1 },
    { schedules: 25, latencyMs: 1, first: 1001 },
  ])(
    'converge on re-apply with no duplicate and no orphan ($schedules schedules, $latencyMs ms calls)',
    async ({ schedules, latencyMs, first }) => {
      const target = clusterGraph();
      const desired = target.resources.map(resourceId).sort();
      let failedRuns = 0;
      for (let seed = first; seed < first + schedules; seed += 1) {
        let controller = new AbortController();
        const provider = clusterProvider({ latencyMs });
        if (seed % 2 === 0) await seedPreviousCluster(provider);
        const unowned = provider.cloud.seed({
          type: 'mock.network',
          name: 'neighbour-net',
          labels: { 'hakoc-cluster': 'neighbour', 'hakoc-managed': 'true' },
          spec: { cidr: '10.1.0.0/16' },
        });
        // The crash hook aborts whichever apply is running: the process "dies" there.
        const schedule = faultSchedule(seed, () => controller.abort(new Error('crash')));
        provider.cloud.setFaults(schedule.faults);

        let converged = false;
        let lockLeftBehind = false;
        for (let run = 1; run <= maxRuns && !converged; run += 1) {
          controller = new AbortController();
          const { signal } = controller;
          try {
            if (provider.cloud.crashed || lockLeftBehind) {
              provider.cloud.restart();
              await breakLock(owner, provider, { retry: fastRetry }); // the dead process's lock
            }
            const planned = await plan(target, provider, { owner, signal, retry: fastRetry });
            await apply(planned, {
              signal,
              retry: fastRetry,
              concurrency: 4,
              onEvent: (event) => {
                // The cloud matches, but the lock stayed: its holder is gone.
                if (event.type === 'lock.release-failed') lockLeftBehind = true;
              },
            });
            converged = true;
          } catch (error) {
            failedRuns += 1;
            // A lock whose release failed: its holder is gone, so it is broken on purpose.
            lockLeftBehind = isLockedError(error);
          }
        }
        provider.cloud.setFaults(undefined);
        expect(converged, `seed ${seed} converged`).toBe(true);
        if (provider.cloud.crashed || lockLeftBehind) {
          provider.cloud.restart();
          await breakLock(owner, provider, { retry: fastRetry });
        }

        const again = await plan(target, provider, { owner });
        expect(again.summary.changes, `seed ${seed} re-plan`).toBe(0);
        const owned = provider.cloud
          .owned(owner)
          .map((o) => resourceId(o))
          .sort();
        expect(owned, `seed ${seed}: exactly the desired objects, once each`).toEqual(desired);
        expect(
          isDeepStrictEqual(provider.cloud.get(unowned.id), unowned),
          `seed ${seed} unowned`,
        ).toBe(true);
        expect(await readLock(owner, provider)).toBeUndefined();
      }
      // The schedules must actually have hurt: most of them broke at least one run.
      expect(failedRuns).toBeGreaterThan(schedules / 2);
    },
  );
});
