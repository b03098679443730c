import { apply, plan } from '@hakoc/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exampleModel, FAST_RETRY, type GceWorld, inputOf, startWorld } from './fixtures.js';

describe('the example HA cluster on the emulator', () => {
  let world: GceWorld;
  beforeEach(async () => {
    world = await startWorld();
  });
  afterEach(async () => {
    await world.close();
  });

  it('applies from empty, then plans no change in a few list calls per type', async () => {
    const model = exampleModel();
    const provider = world.provider(model);
    const input = inputOf(model);
    const first = await plan(input, provider, { owner: world.owner, retry: FAST_RETRY });
    expect(first.summary.create).toBe(first.steps.length);
    const started = performance.now();
    const result = await apply(first, { retry: FAST_RETRY, concurrency: 16 });
    const applyMs = performance.now() - started;
    expect(result.totals.failed).toBe(0);
    world.emulator.clearLog();
    const again = await plan(input, provider, { owner: world.owner, retry: FAST_RETRY });
    expect(again.steps.filter((s) => s.action !== 'noop')).toEqual([]);
    const calls = world.emulator.countCalls({ method: 'GET' });
    console.log({ applyMs, steps: first.steps.length, replanGets: calls, outputs: result.outputs });
  });
});
