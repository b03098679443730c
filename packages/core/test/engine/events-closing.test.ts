import { describe, expect, it } from 'vitest';
import {
  apply,
  destroy,
  type EngineEvent,
  isHakocError,
  type Provider,
  plan,
} from '../../src/index.js';
import type { MockInput } from '../../src/testing/index.js';
import { clusterGraph, clusterProvider, owner, recorder, rejectionOf } from './fixtures.js';

const last = (events: readonly EngineEvent[]) => events.at(-1)?.type;

describe('closing events', () => {
  it('plan.failed closes a plan whose list call failed', async () => {
    const provider = clusterProvider();
    provider.cloud.setFaults((call) =>
      call.operation === 'list' ? { kind: 'error', reason: 'permission' } : undefined,
    );
    const { events, onEvent } = recorder();
    const error = await rejectionOf(plan(clusterGraph(), provider, { owner, onEvent }));
    expect(events.map((e) => e.type)).toEqual(['plan.started', 'plan.failed']);
    expect(events[1]).toMatchObject({ provider: 'mock', cluster: 'demo', error });
  });

  it('apply.failed closes an apply refused as stale, and one kept out by the lock', async () => {
    const provider = clusterProvider();
    const stale = await plan(clusterGraph(), provider, { owner });
    await apply(
      await plan({ resources: clusterGraph().resources.slice(0, 1) }, provider, { owner }),
    );
    const first = recorder();
    await rejectionOf(apply(stale, { onEvent: first.onEvent }));
    expect(last(first.events)).toBe('apply.failed');
    expect(first.events.map((e) => e.type)).toContain('lock.released');

    provider.cloud.seedLock(owner.cluster, {
      id: 'other',
      holder: 'someone',
      operation: 'apply',
      acquiredAt: new Date(0).toISOString(),
    });
    const second = recorder();
    await rejectionOf(apply(await plan(clusterGraph(), provider, { owner }), second));
    expect(second.events).toMatchObject([{ type: 'apply.failed', operation: 'apply' }]);
    const third = recorder();
    await rejectionOf(destroy(owner, provider, third));
    expect(third.events).toMatchObject([{ type: 'apply.failed', operation: 'destroy' }]);
  });

  it('apply.finished, not apply.failed, closes an apply whose step failed', async () => {
    const provider: Provider<MockInput> = clusterProvider({
      faults: (call) =>
        call.operation === 'create' && call.name === 'net'
          ? { kind: 'error', reason: 'invalid' }
          : undefined,
    });
    const { events, onEvent } = recorder();
    await rejectionOf(apply(await plan(clusterGraph(), provider, { owner }), { onEvent }));
    expect(events.filter((e) => e.type === 'apply.failed')).toEqual([]);
    expect(events.at(-2)?.type).toBe('apply.finished');
  });
});

describe('option checks', () => {
  it.each([
    [{ concurrency: 0 }, 'options.concurrency must be at least 1 (got 0)'],
    [{ concurrency: 1.5 }, 'options.concurrency must be a whole number (got 1.5)'],
    [{ retry: { retries: -1 } }, 'options.retry.retries must be at least 0 (got -1)'],
    [{ timeouts: { stepMs: 0 } }, 'options.timeouts.stepMs must be more than 0 (got 0)'],
    [{ retry: { factor: Number.NaN } }, 'options.retry.factor must be a number (got NaN)'],
  ])('refuses %j with a clear HakocError', async (options, says) => {
    const provider = clusterProvider();
    const planned = await plan(clusterGraph(), provider, { owner });
    const error = await rejectionOf(apply(planned, options));
    expect(isHakocError(error) && error.code).toBe('HAKOC_OPTIONS_INVALID');
    expect((error as Error).message).toContain(says);
    expect(provider.cloud.lockOf(owner.cluster)).toBeUndefined();
  });

  it('checks plan and destroy options too', async () => {
    const provider = clusterProvider();
    const bad = { retry: { retries: -1 } };
    expect(await rejectionOf(plan(clusterGraph(), provider, { owner, ...bad }))).toMatchObject({
      code: 'HAKOC_OPTIONS_INVALID',
    });
    expect(await rejectionOf(destroy(owner, provider, { concurrency: 0 }))).toMatchObject({
      code: 'HAKOC_OPTIONS_INVALID',
    });
  });
});
