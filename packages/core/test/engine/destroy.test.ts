import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { apply, destroy, isApplyError, isLockedError, plan } from '../../src/engine/index.js';
import {
  clusterGraph,
  clusterProvider,
  fastRetry,
  owner,
  recorder,
  rejectionOf,
} from './fixtures.js';

describe('destroy', () => {
  it('deletes everything owned, in reverse dependency order, and nothing else', async () => {
    const provider = clusterProvider();
    await apply(await plan(clusterGraph(), provider, { owner }));
    const neighbour = provider.cloud.seed({
      type: 'mock.network',
      name: 'neighbour',
      labels: { 'hakoc-cluster': 'other', 'hakoc-managed': 'true' },
      spec: {},
    });
    // Same cluster label, but not marked managed: made by hand, not ours to delete.
    const handmade = provider.cloud.seed({
      type: 'mock.network',
      name: 'hand',
      labels: { 'hakoc-cluster': 'demo' },
      spec: {},
    });
    const { events, onEvent } = recorder();
    const before = provider.cloud.calls.length;
    const result = await destroy(owner, provider, { onEvent });
    expect(result.totals.done).toBe(13);
    expect(provider.cloud.owned(owner)).toEqual([]);
    expect(isDeepStrictEqual(provider.cloud.objects(), [neighbour, handmade])).toBe(true);
    const deleted = provider.cloud.calls
      .slice(before)
      .filter((c) => c.operation === 'delete')
      .map((c) => c.type);
    const rank = (type: string) => provider.types.findIndex((t) => t.type === type);
    for (let i = 1; i < deleted.length; i += 1) {
      expect(rank(deleted[i] ?? '')).toBeLessThanOrEqual(rank(deleted[i - 1] ?? ''));
    }
    expect(events.find((e) => e.type === 'apply.started')).toMatchObject({
      operation: 'destroy',
      changes: 13,
    });
    expect(provider.cloud.lockOf(owner.cluster)).toBeUndefined();
  });

  it('counts "not found" as done and retries "in use"', async () => {
    const provider = clusterProvider();
    await apply(await plan(clusterGraph(), provider, { owner }));
    provider.cloud.setFaults((call) => {
      if (call.operation !== 'delete') return undefined;
      if (call.name === 'net') return { kind: 'error', reason: 'not-found' };
      if (call.name === 'nodes' && call.seq % 3 !== 0) return { kind: 'error', reason: 'in-use' };
      return undefined;
    });
    const { events, onEvent } = recorder();
    await destroy(owner, provider, { onEvent, retry: fastRetry });
    expect(
      events
        .filter((e) => e.type === 'resource.retry')
        .every((e) => e.type === 'resource.retry' && e.reason === 'in-use'),
    ).toBe(true);
    expect(events.some((e) => e.type === 'resource.retry')).toBe(true);
    // "net" answered not-found: counted as done even though this mock still has it.
    expect(provider.cloud.owned(owner).map((o) => o.name)).toEqual(['net']);
  });

  it('after a failure, destroying again finishes the job', async () => {
    const provider = clusterProvider();
    await apply(await plan(clusterGraph(), provider, { owner }));
    provider.cloud.setFaults((call) =>
      call.operation === 'delete' && call.name === 'cp'
        ? { kind: 'error', reason: 'invalid' }
        : undefined,
    );
    const failure = await rejectionOf(destroy(owner, provider));
    expect(isApplyError(failure) && failure.operation).toBe('destroy');
    provider.cloud.setFaults(undefined);
    await destroy(owner, provider);
    expect(provider.cloud.owned(owner)).toEqual([]);
  });

  it('refuses to run while someone else holds the cluster lock', async () => {
    const provider = clusterProvider();
    await provider.lock.create(
      { owner, signal: new AbortController().signal },
      { id: 'x', holder: 'other', operation: 'apply', acquiredAt: '2020-01-01T00:00:00.000Z' },
    );
    expect(isLockedError(await rejectionOf(destroy(owner, provider)))).toBe(true);
  });
});
