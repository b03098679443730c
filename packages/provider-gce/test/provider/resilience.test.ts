import { apply, breakLock, type EngineEvent, plan } from '@hakoc/core';
import { describe, expect, it } from 'vitest';
import { exampleModel, FAST_RETRY, type GceWorld, inputOf, startWorld } from './fixtures.js';

const PROJECT = 'my-project';
const PATIENT_RETRY = { ...FAST_RETRY, retries: 30 };

/** Names of stored objects per collection, to spot duplicates. */
function inventory(world: GceWorld): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const { path } of world.emulator.resources(new RegExp(`^projects/${PROJECT}/`))) {
    if (path.includes('/operations/')) continue;
    const collection = path.split('/').slice(-2, -1)[0] ?? '';
    counts[collection] = (counts[collection] ?? 0) + 1;
  }
  return counts;
}

async function settled(world: GceWorld, expected: Record<string, number>, ms = 10_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    world.emulator.settle();
    const counts = inventory(world);
    if (Object.entries(expected).every(([k, v]) => counts[k] === v)) return counts;
    if (Date.now() > deadline) return counts;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

// What the example cluster is made of once GCE has settled.
const EXPECTED = {
  networks: 1,
  subnetworks: 1,
  firewalls: 6,
  instanceTemplates: 3,
  healthChecks: 2,
  instanceGroupManagers: 5,
  autoscalers: 1,
  addresses: 1,
  backendServices: 1,
  forwardingRules: 1,
  instances: 8,
  disks: 11,
};

describe('resilience', () => {
  it('finishes an apply with 10 % of calls failing at random', async () => {
    const world = await startWorld({ faultRate: 0.1, seed: 7 });
    try {
      const provider = world.provider();
      const input = inputOf(exampleModel());
      const planned = await plan(input, provider, { owner: world.owner, retry: PATIENT_RETRY });
      await apply(planned, { retry: PATIENT_RETRY, concurrency: 16 });
      const faults = world.emulator.log.filter((e) => e.fault !== undefined).length;
      expect(faults).toBeGreaterThan(5);
      world.emulator.setFaults({ rate: 0 });
      const again = await plan(input, provider, { owner: world.owner, retry: FAST_RETRY });
      expect(again.summary.changes).toBe(0);
      expect(await settled(world, EXPECTED)).toMatchObject(EXPECTED);
    } finally {
      await world.close();
    }
  });

  it('finishes after being killed at random points (20 seeds), without duplicates', async () => {
    const killedAt: string[] = [];
    // The emulator stands for GCE, which goes on when hakoc dies: operations in flight finish.
    // Each seed starts from an empty GCE.
    const world = await startWorld();
    try {
      for (let seed = 1; seed <= 20; seed++) {
        await world.reset(seed);
        const input = inputOf(exampleModel());
        const dying = world.provider();
        const planned = await plan(input, dying, { owner: world.owner, retry: FAST_RETRY });
        // A seeded point in the apply: as the k-th step starts (odd seeds) or finishes (even
        // ones), with up to 16 steps in flight.
        const killAt = (seed * 7919) % planned.steps.length;
        const killOn = seed % 2 === 1 ? 'resource.start' : 'resource.done';
        const controller = new AbortController();
        let seen = 0;
        const onEvent = (event: EngineEvent) => {
          if (event.type === killOn && seen++ === killAt) controller.abort();
        };
        await apply(planned, {
          retry: FAST_RETRY,
          concurrency: 16,
          signal: controller.signal,
          onEvent,
        }).catch(() => {
          // The crash: whatever was in flight goes on in GCE as it was sent.
        });
        expect(controller.signal.aborted, `seed ${seed} was killed`).toBe(true);
        killedAt.push(`${killOn} ${killAt}/${planned.steps.length}`);
        await dying.close();
        const provider = world.provider();
        // A crashed holder leaves its lock behind; the operator breaks it.
        await breakLock(world.owner, provider);
        const resumed = await plan(input, provider, { owner: world.owner, retry: FAST_RETRY });
        await apply(resumed, { retry: FAST_RETRY, concurrency: 16 });
        const again = await plan(input, provider, { owner: world.owner, retry: FAST_RETRY });
        expect(again.summary.changes, `seed ${seed}`).toBe(0);
        expect(await settled(world, EXPECTED), `seed ${seed}`).toMatchObject(EXPECTED);
      }
    } finally {
      await world.close();
    }
    // The kill points are spread over the apply, not bunched at its start.
    expect(new Set(killedAt).size).toBe(20);
  }, 120_000);
});
