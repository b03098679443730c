import { describe, expect, it } from 'vitest';
import { apply, isApplyError, plan } from '../../src/engine/index.js';
import { clusterGraph, clusterProvider, owner, rejectionOf } from './fixtures.js';

describe('abort', () => {
  it('stops new work promptly, reports what is unknown, and a later apply completes', async () => {
    const input = clusterGraph();
    const provider = clusterProvider({ latencyMs: 15 });
    const controller = new AbortController();
    let abortedAt = 0;
    const planned = await plan(input, provider, { owner });
    const failure = await rejectionOf(
      apply(planned, {
        signal: controller.signal,
        concurrency: 4,
        onEvent: (event) => {
          // Abort once the second level of the graph is under way.
          if (event.type === 'resource.done' && event.step.type === 'mock.subnet') {
            abortedAt = performance.now();
            controller.abort();
          }
        },
      }),
    );
    const returnedAt = performance.now();
    expect(isApplyError(failure)).toBe(true);
    if (!isApplyError(failure)) return;
    expect(failure.aborted).toBe(true);
    expect(failure.code).toBe('HAKOC_APPLY_ABORTED');
    expect(failure.finished.map((s) => s.id)).toContain('mock.subnet/nodes');
    expect(failure.notStarted.length).toBeGreaterThan(0);
    expect(failure.failed).toEqual([]);
    // In-flight calls honour the signal, so the apply returns well within one call's latency.
    expect(returnedAt - abortedAt).toBeLessThan(100);
    const mutationsAfterAbort = provider.cloud.calls.filter(
      (c) => c.startedAt > abortedAt && ['create', 'update', 'delete'].includes(c.operation),
    );
    expect(mutationsAfterAbort).toEqual([]);
    expect(provider.cloud.lockOf(owner.cluster)).toBeUndefined();

    const resumed = await plan(input, provider, { owner });
    expect(resumed.summary.create).toBeLessThan(input.resources.length);
    await apply(resumed, { concurrency: 4 });
    expect((await plan(input, provider, { owner })).summary.changes).toBe(0);
  });

  it('starts nothing when the signal is already aborted', async () => {
    const provider = clusterProvider();
    const planned = await plan(clusterGraph(), provider, { owner });
    const failure = await rejectionOf(apply(planned, { signal: AbortSignal.abort() }));
    expect(provider.cloud.calls.filter((c) => c.operation === 'create')).toEqual([]);
    expect(provider.cloud.lockOf(owner.cluster)).toBeUndefined();
    expect(failure).toMatchObject({ name: 'AbortError' });
  });
});
