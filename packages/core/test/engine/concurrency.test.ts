import { describe, expect, it } from 'vitest';
import { apply, plan, type Resource, resourceId } from '../../src/engine/index.js';
import type { MockCall } from '../../src/testing/index.js';
import { clusterGraph, clusterProvider, clusterTypes, owner, recorder } from './fixtures.js';

const latency: Readonly<Record<string, number>> = {
  'mock.network': 20,
  'mock.subnet': 20,
  'mock.firewall': 20,
  'mock.instance': 60,
  'mock.template': 20,
  'mock.group': 40,
  'mock.address': 20,
  'mock.forwarding': 20,
};
const latencyOf = (type: string) => latency[type] ?? 0;

// The longest chain of latencies through the graph: no schedule can beat it.
function criticalPath(resources: readonly Resource[]): number {
  const finish = new Map<string, number>();
  for (const resource of resources) {
    const ready = Math.max(
      0,
      ...(resource.dependsOn ?? []).map((d) => finish.get(resourceId(d)) ?? 0),
    );
    finish.set(resourceId(resource), ready + latencyOf(resource.type));
  }
  return Math.max(...finish.values());
}

function maxInFlight(calls: readonly MockCall[]): number {
  const edges = calls.flatMap((c) => [
    [c.startedAt, 1],
    [c.endedAt ?? c.startedAt, -1],
  ]);
  edges.sort((a, b) => (a[0] ?? 0) - (b[0] ?? 0) || (a[1] ?? 0) - (b[1] ?? 0));
  let now = 0;
  let peak = 0;
  for (const [, delta] of edges) {
    now += delta ?? 0;
    peak = Math.max(peak, now);
  }
  return peak;
}

describe('concurrency', () => {
  it('runs the graph in about its critical path, far below the serial sum', async () => {
    const input = clusterGraph();
    const provider = clusterProvider({
      types: clusterTypes.map((t) => ({ ...t, latencyMs: latencyOf(t.type) })),
    });
    const planned = await plan(input, provider, { owner });
    const { events, onEvent } = recorder();
    const marks: number[] = [];
    await apply(planned, {
      concurrency: 16,
      onEvent: (event) => {
        onEvent(event);
        if (event.type === 'apply.started' || event.type === 'apply.finished')
          marks.push(performance.now());
      },
    });
    const wall = (marks[1] ?? 0) - (marks[0] ?? 0);
    const critical = criticalPath(input.resources);
    const serial = input.resources.reduce((sum, r) => sum + latencyOf(r.type), 0);
    expect(events.filter((e) => e.type === 'resource.done')).toHaveLength(input.resources.length);
    expect(wall).toBeGreaterThanOrEqual(critical * 0.95);
    // The issue asks for 10 %; a loaded 2-core CI box gets a wide margin, the bench the truth.
    expect(wall / critical).toBeLessThan(1.5);
    expect(wall).toBeLessThan(serial * 0.6);
  });

  it('never has more provider calls in flight than the concurrency', async () => {
    const provider = clusterProvider({ latencyMs: 3 });
    const planned = await plan(clusterGraph(), provider, { owner });
    const before = provider.cloud.calls.length;
    await apply(planned, { concurrency: 2 });
    const steps = provider.cloud.calls
      .slice(before)
      .filter((c) => ['create', 'update', 'delete'].includes(c.operation));
    expect(maxInFlight(steps)).toBeLessThanOrEqual(2);
    expect(maxInFlight(steps)).toBe(2);
  });

  it('starts a step only after everything it depends on is done', async () => {
    const input = clusterGraph();
    const provider = clusterProvider({ latencyMs: 2 });
    const { events, onEvent } = recorder();
    await apply(await plan(input, provider, { owner }), { concurrency: 16, onEvent });
    const order = events.flatMap((e) =>
      e.type === 'resource.start' || e.type === 'resource.done' ? [`${e.type}:${e.step.id}`] : [],
    );
    for (const resource of input.resources) {
      const started = order.indexOf(`resource.start:${resourceId(resource)}`);
      for (const dependency of resource.dependsOn ?? []) {
        expect(order.indexOf(`resource.done:${resourceId(dependency)}`)).toBeLessThan(started);
      }
    }
  });
});
