import { describe, expect, it } from 'vitest';
import {
  apply,
  breakLock,
  isApplyError,
  isLockedError,
  isProviderError,
  isStalePlanError,
  type Provider,
  ProviderError,
  plan,
  type Resource,
  readLock,
} from '../../src/engine/index.js';
import { createMockProvider, type MockInput, type MockSpec } from '../../src/testing/index.js';
import {
  clusterGraph,
  clusterProvider,
  failNext,
  fastRetry,
  owner,
  recorder,
  rejectionOf,
} from './fixtures.js';

describe('apply', () => {
  it('creates the cluster, reports it, and a second plan has no changes', async () => {
    const provider = clusterProvider();
    const { events, onEvent } = recorder();
    const result = await apply(await plan(clusterGraph(), provider, { owner }), { onEvent });
    expect(result.totals).toEqual({ done: 13, failed: 0, notStarted: 0, unknown: 0, unchanged: 0 });
    expect(result.actual).toHaveLength(13);
    expect(result.outputs?.ids['mock.network/net']).toMatch(/^m-/);
    expect(events[0]).toMatchObject({ type: 'lock.acquired', cluster: 'demo' });
    expect(events[1]).toMatchObject({ type: 'apply.started', operation: 'apply', changes: 13 });
    expect(events.filter((e) => e.type === 'resource.start')).toHaveLength(13);
    expect(events.filter((e) => e.type === 'resource.done')).toHaveLength(13);
    expect(events.at(-2)).toMatchObject({
      type: 'apply.finished',
      aborted: false,
      totals: { done: 13 },
    });
    expect(events.at(-1)).toMatchObject({ type: 'lock.released' });
    expect(provider.cloud.owned(owner).every((o) => o.labels['hakoc-managed'] === 'true')).toBe(
      true,
    );
    expect((await plan(clusterGraph(), provider, { owner })).summary.changes).toBe(0);
  });

  it('refuses a stale plan, or plans again when told to', async () => {
    const provider = clusterProvider();
    const stale = await plan(clusterGraph(), provider, { owner });
    await apply(
      await plan({ resources: clusterGraph().resources.slice(0, 2) }, provider, { owner }),
    );
    expect(isStalePlanError(await rejectionOf(apply(stale)))).toBe(true);
    expect(await readLock(owner, provider)).toBeUndefined();
    const result = await apply(stale, { onStale: 'replan' });
    expect(result.plan.summary.create).toBe(11);
    expect((await plan(clusterGraph(), provider, { owner })).summary.changes).toBe(0);
  });

  it('replaces create-before-destroy where the type allows, destroy-before-create elsewhere', async () => {
    const types = [
      { type: 'mock.cbd', forceNew: ['v'], replaceStrategy: 'create-before-destroy' as const },
      { type: 'mock.dbc', forceNew: ['v'] },
    ];
    const provider = createMockProvider({ types });
    const input = (v: number): MockInput => ({
      resources: [
        { type: 'mock.cbd', name: 'a', spec: { v } },
        { type: 'mock.dbc', name: 'b', spec: { v } },
      ],
    });
    await apply(await plan(input(1), provider, { owner }));
    const before = provider.cloud.calls.length;
    await apply(await plan(input(2), provider, { owner }));
    const sequence = (name: string) =>
      provider.cloud.calls
        .slice(before)
        .filter((c) => c.name === name)
        .map((c) => c.operation);
    expect(sequence('a')).toEqual(['create', 'delete']);
    expect(sequence('b')).toEqual(['delete', 'create']);
    expect(provider.cloud.owned(owner).map((o) => o.spec)).toEqual([{ v: 2 }, { v: 2 }]);
  });

  it('retries retryable errors with backoff, one request id per operation, no duplicates', async () => {
    const provider = clusterProvider();
    provider.cloud.setFaults(failNext(3, { kind: 'error', reason: 'unavailable', when: 'after' }));
    const { events, onEvent } = recorder();
    await apply(await plan(clusterGraph(), provider, { owner }), {
      onEvent,
      retry: fastRetry,
      concurrency: 1,
    });
    const retries = events.filter((e) => e.type === 'resource.retry');
    expect(retries).toHaveLength(3);
    expect(retries[0]).toMatchObject({ operation: 'create', attempt: 1, reason: 'unavailable' });
    expect(retries.every((e) => e.type === 'resource.retry' && e.delayMs >= 1)).toBe(true);
    // The first create took effect before failing; the retry, with the same request id, did not
    // make a second object.
    const creates = provider.cloud.calls.filter(
      (c) => c.operation === 'create' && c.name === 'net',
    );
    expect(creates.length).toBeGreaterThanOrEqual(2);
    expect(new Set(creates.map((c) => c.requestId)).size).toBe(1);
    expect(provider.cloud.owned(owner)).toHaveLength(13);
  });

  it('gives up on a retryable error after the retry budget', async () => {
    const provider = clusterProvider();
    provider.cloud.setFaults((call) =>
      call.operation === 'create' && call.name === 'api' && call.type === 'mock.address'
        ? { kind: 'error', reason: 'rate-limited' }
        : undefined,
    );
    const failure = await rejectionOf(
      apply(await plan(clusterGraph(), provider, { owner }), {
        retry: { ...fastRetry, retries: 2 },
      }),
    );
    expect(isApplyError(failure)).toBe(true);
    const attempts = provider.cloud.calls.filter(
      (c) => c.type === 'mock.address' && c.operation === 'create',
    );
    expect(attempts).toHaveLength(3);
  });

  it('on a fatal error: reports what finished, failed and never started; independent work goes on', async () => {
    const provider = clusterProvider();
    provider.cloud.setFaults((call) =>
      call.operation === 'create' && call.name === 'nodes'
        ? { kind: 'error', reason: 'permission' }
        : undefined,
    );
    const { events, onEvent } = recorder();
    const failure = await rejectionOf(
      apply(await plan(clusterGraph(), provider, { owner }), { onEvent, retry: fastRetry }),
    );
    expect(isApplyError(failure)).toBe(true);
    if (!isApplyError(failure)) return;
    expect(failure.code).toBe('HAKOC_APPLY_FAILED');
    expect(failure.failed.map((f) => f.step.id)).toEqual(['mock.subnet/nodes']);
    const error = failure.failed[0]?.error;
    expect(isProviderError(error) && error.reason).toBe('permission');
    expect(failure.finished.map((s) => s.id).sort()).toEqual([
      'mock.address/api',
      'mock.firewall/api',
      'mock.firewall/internal',
      'mock.network/net',
    ]);
    expect(failure.notStarted).toHaveLength(8);
    expect(failure.unknown).toEqual([]);
    expect(failure.cause).toBe(error);
    expect(events.filter((e) => e.type === 'resource.retry')).toEqual([]);
    expect(events.find((e) => e.type === 'resource.failed')).toMatchObject({
      step: { id: 'mock.subnet/nodes' },
    });
    expect(await readLock(owner, provider)).toBeUndefined();
    provider.cloud.setFaults(undefined);
    await apply(await plan(clusterGraph(), provider, { owner }));
    expect((await plan(clusterGraph(), provider, { owner })).summary.changes).toBe(0);
  });

  it('wraps what a provider throws that is not a ProviderError as a final error', async () => {
    const provider = clusterProvider();
    const [first, ...rest] = provider.types;
    if (first === undefined) throw new Error('no types');
    const broken: Provider<MockInput> = {
      ...provider,
      types: [{ ...first, create: () => Promise.reject(new TypeError('boom')) }, ...rest],
    };
    const failure = await rejectionOf(apply(await plan(clusterGraph(), broken, { owner })));
    expect(isApplyError(failure) && failure.failed[0]?.error).toMatchObject({
      code: 'HAKOC_PROVIDER_ERROR',
      operation: 'create',
      resource: 'mock.network/net',
      retryable: false,
    });
  });

  it('reports provider progress, and survives a listener that throws', async () => {
    const provider = clusterProvider();
    const [first, ...rest] = provider.types;
    if (first === undefined) throw new Error('no types');
    const chatty: Provider<MockInput> = {
      ...provider,
      types: [
        {
          ...first,
          create: (ctx, resource) => {
            ctx.progress('waiting for operation');
            return first.create(ctx, resource);
          },
        },
        ...rest,
      ],
    };
    const { events, onEvent } = recorder();
    await apply(await plan(clusterGraph(), chatty, { owner }), {
      onEvent: (event) => {
        onEvent(event);
        throw new Error('display broke');
      },
    });
    expect(events.find((e) => e.type === 'resource.progress')).toMatchObject({
      message: 'waiting for operation',
    });
  });

  it('refuses an object without our labels that a provider lists', async () => {
    const provider = clusterProvider();
    const [first, ...rest] = provider.types;
    if (first === undefined) throw new Error('no types');
    const leaky: Provider<MockInput> = {
      ...provider,
      types: [
        {
          ...first,
          list: async () => [{ id: 'x', name: 'net', labels: { 'hakoc-cluster': 'other' } }],
        },
        ...rest,
      ],
    };
    const failure = await rejectionOf(plan(clusterGraph(), leaky, { owner }));
    expect(failure).toMatchObject({
      code: 'HAKOC_PROVIDER_ERROR',
      operation: 'list',
      reason: 'invalid',
    });
  });
});

describe('cluster lock', () => {
  it('lets one of two concurrent applies run; the other is told who holds the lock', async () => {
    const provider = clusterProvider({ latencyMs: 2 });
    const first = await plan(clusterGraph(), provider, { owner });
    const second = await plan(clusterGraph(), provider, { owner });
    const outcomes = await Promise.allSettled([
      apply(first, { holder: 'ci-job-1' }),
      apply(second, { holder: 'ci-job-2' }),
    ]);
    const rejected = outcomes.filter((o) => o.status === 'rejected');
    expect(rejected).toHaveLength(1);
    const reason: unknown = rejected[0]?.status === 'rejected' ? rejected[0].reason : undefined;
    expect(isLockedError(reason) && reason.lock.holder).toBe('ci-job-1');
    expect(provider.cloud.owned(owner)).toHaveLength(13);
  });

  it('can be read and broken explicitly when its holder died', async () => {
    const provider = clusterProvider();
    const ctx = { owner, signal: new AbortController().signal };
    const stale = {
      id: 'dead',
      holder: 'laptop:42',
      operation: 'apply' as const,
      acquiredAt: '2020-01-01T00:00:00.000Z',
    };
    await provider.lock.create(ctx, stale);
    expect(await readLock(owner, provider)).toEqual(stale);
    const failure = await rejectionOf(apply(await plan(clusterGraph(), provider, { owner })));
    expect(failure).toMatchObject({ code: 'HAKOC_LOCKED', lock: stale });
    expect(await breakLock(owner, provider)).toEqual(stale);
    await apply(await plan(clusterGraph(), provider, { owner }));
    expect(await breakLock(owner, provider)).toBeUndefined();
  });

  it('does not release a lock that was broken and taken by someone else meanwhile', async () => {
    const provider = clusterProvider();
    const other = {
      id: 'other',
      holder: 'ci',
      operation: 'apply' as const,
      acquiredAt: '2020-01-01T00:00:00.000Z',
    };
    const deleted: string[] = [];
    const contested: Provider<MockInput> = {
      ...provider,
      lock: {
        ...provider.lock,
        delete: (ctx, lock) => {
          deleted.push(lock.id);
          return provider.lock.delete(ctx, lock);
        },
      },
    };
    let ours: string | undefined;
    await apply(await plan(clusterGraph(), contested, { owner }), {
      onEvent: (event) => {
        // Between our apply finishing and its release, someone breaks the lock and takes it.
        if (event.type === 'apply.finished') {
          ours = provider.cloud.lockOf(owner.cluster)?.id;
          provider.cloud.seedLock(owner.cluster, other);
        }
      },
    });
    // The release names our lock only; the store leaves the other holder's in place.
    expect(ours).toBeDefined();
    expect(deleted).toEqual([ours]);
    expect(provider.cloud.lockOf(owner.cluster)).toEqual(other);
  });

  it('keeps the lock marker out of plans', async () => {
    const provider = clusterProvider();
    await apply(await plan(clusterGraph(), provider, { owner }));
    const resources: Resource<MockSpec>[] = [];
    expect(
      (await plan({ resources }, provider, { owner })).steps.every((s) => s.type !== 'mock.lock'),
    ).toBe(true);
  });

  it('wraps a lock store failure as a provider error', async () => {
    const provider = clusterProvider();
    const failing: Provider<MockInput> = {
      ...provider,
      lock: {
        ...provider.lock,
        create: () =>
          Promise.reject(
            new ProviderError('denied', {
              provider: 'mock',
              operation: 'lock',
              reason: 'permission',
            }),
          ),
      },
    };
    const failure = await rejectionOf(apply(await plan(clusterGraph(), failing, { owner })));
    expect(failure).toMatchObject({ code: 'HAKOC_PROVIDER_ERROR', reason: 'permission' });
  });
});
