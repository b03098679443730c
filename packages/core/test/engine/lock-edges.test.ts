import { describe, expect, it } from 'vitest';
import { apply, isLockedError, type Provider, plan } from '../../src/engine/index.js';
import type { MockInput } from '../../src/testing/index.js';
import { clusterGraph, clusterProvider, owner, recorder, rejectionOf } from './fixtures.js';

describe('lock and apply edges', () => {
  it('returns the result of a successful apply whose lock release failed, with a warning event', async () => {
    const provider = clusterProvider();
    const failingRelease: Provider<MockInput> = {
      ...provider,
      lock: {
        ...provider.lock,
        delete: async () => {
          throw new Error('network down');
        },
      },
    };
    const { events, onEvent } = recorder();
    const result = await apply(await plan(clusterGraph(), failingRelease, { owner }), {
      onEvent,
      retry: { retries: 0 },
    });
    expect(result.totals.done).toBe(13);
    expect(events.at(-1)).toMatchObject({ type: 'lock.release-failed', cluster: 'demo' });
    expect(
      isLockedError(await rejectionOf(apply(await plan(clusterGraph(), provider, { owner })))),
    ).toBe(true);
  });

  it('leaves no lock behind when the caller aborts just as the lock create lands', async () => {
    const provider = clusterProvider();
    const controller = new AbortController();
    const abortingCreate: Provider<MockInput> = {
      ...provider,
      lock: {
        ...provider.lock,
        create: async (ctx, lock) => {
          await provider.lock.create(ctx, lock);
          controller.abort();
          ctx.signal.throwIfAborted();
        },
      },
    };
    const planned = await plan(clusterGraph(), abortingCreate, { owner });
    await rejectionOf(apply(planned, { signal: controller.signal }));
    expect(provider.cloud.lockOf(owner.cluster)).toBeUndefined();
    expect(provider.cloud.calls.filter((c) => c.operation === 'create')).toEqual([]);
  });

  it("records the new plan's fingerprint in the lock after onStale: 'replan'", async () => {
    const provider = clusterProvider();
    const heldAtRelease: (string | undefined)[] = [];
    const watching: Provider<MockInput> = {
      ...provider,
      lock: {
        ...provider.lock,
        delete: async (ctx, lock) => {
          heldAtRelease.push(provider.cloud.lockOf(owner.cluster)?.fingerprint);
          return provider.lock.delete(ctx, lock);
        },
      },
    };
    const stale = await plan(clusterGraph(), watching, { owner });
    await apply(
      await plan({ resources: clusterGraph().resources.slice(0, 1) }, provider, { owner }),
    );
    const result = await apply(stale, { onStale: 'replan' });
    expect(result.plan.fingerprint).not.toBe(stale.fingerprint);
    expect(heldAtRelease).toEqual([result.plan.fingerprint]);
  });
});
