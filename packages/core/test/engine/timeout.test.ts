import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { apply, isApplyError, type Provider, plan } from '../../src/engine/index.js';
import { createMockProvider, type MockInput } from '../../src/testing/index.js';
import { clusterGraph, clusterProvider, owner, recorder, rejectionOf } from './fixtures.js';

// A provider whose creates ignore their signal and take `ms`, logging when each one returns.
function deafProvider(ms: number) {
  const mock = createMockProvider({ types: [{ type: 'mock.thing' }] });
  const log: string[] = [];
  const provider: Provider<MockInput> = {
    ...mock,
    types: mock.types.map((type) => ({
      ...type,
      create: async (ctx, resource) => {
        await sleep(ms);
        log.push(`created ${resource.name}`);
        return type.create(ctx, resource);
      },
    })),
    lock: {
      ...mock.lock,
      delete: async (ctx, lock) => {
        log.push('lock released');
        return mock.lock.delete(ctx, lock);
      },
    },
  };
  return { provider, log };
}

const things = (...names: string[]): MockInput => ({
  resources: names.map((name) => ({ type: 'mock.thing', name, spec: {} })),
});

describe('step timeouts', () => {
  it('report a step that ran out of time as unknown, with a timeout event', async () => {
    const provider = clusterProvider({
      latencyMs: (call) => (call.operation === 'create' && call.name === 'net' ? 10_000 : 0),
    });
    const { events, onEvent } = recorder();
    const started = performance.now();
    const failure = await rejectionOf(
      apply(await plan(clusterGraph(), provider, { owner }), { timeouts: { stepMs: 30 }, onEvent }),
    );
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(isApplyError(failure)).toBe(true);
    if (!isApplyError(failure)) return;
    expect(failure.unknown.map((s) => s.id)).toEqual(['mock.network/net']);
    expect(failure.failed).toEqual([]);
    const failed = events.find((e) => e.type === 'resource.failed');
    expect(failed?.type === 'resource.failed' && failed.error).toMatchObject({
      reason: 'timeout',
      retryable: false,
    });
  });

  it('wait for a call that ignores its signal before the lock is released', async () => {
    const { provider, log } = deafProvider(80);
    const failure = await rejectionOf(
      apply(await plan(things('a'), provider, { owner }), { timeouts: { stepMs: 10 } }),
    );
    expect(isApplyError(failure) && failure.unknown.length).toBe(1);
    expect(log).toEqual(['created a', 'lock released']);
  });

  it('give up waiting for such a call after settleMs', async () => {
    const { provider, log } = deafProvider(300);
    const started = performance.now();
    await rejectionOf(
      apply(await plan(things('a'), provider, { owner }), {
        timeouts: { stepMs: 10, settleMs: 20 },
      }),
    );
    expect(performance.now() - started).toBeLessThan(250);
    expect(log).toEqual(['lock released']);
  });

  it('start counting when the step gets a concurrency slot, not while it queues', async () => {
    const { provider } = deafProvider(40);
    const result = await apply(await plan(things('a', 'b', 'c'), provider, { owner }), {
      concurrency: 1,
      timeouts: { stepMs: 70 },
    });
    expect(result.totals.done).toBe(3);
  });
});
