import { describe, expect, it } from 'vitest';
import {
  apply,
  GRAPH_INVALID_CODE,
  hasChanges,
  isGraphError,
  isInvalidPlanError,
  isStalePlanError,
  loadPlan,
  PLAN_FORMAT_VERSION,
  plan,
  type Resource,
} from '../../src/engine/index.js';
import { createMockProvider, type MockSpec } from '../../src/testing/index.js';
import { clusterGraph, clusterProvider, owner, recorder, rejectionOf } from './fixtures.js';

describe('plan', () => {
  it('plans every resource as a create on an empty cloud, dependencies first', async () => {
    const input = clusterGraph();
    const planned = await plan(input, clusterProvider(), { owner });
    expect(planned.formatVersion).toBe(PLAN_FORMAT_VERSION);
    expect(planned.summary).toEqual({
      create: 13,
      update: 0,
      replace: 0,
      delete: 0,
      noop: 0,
      changes: 13,
    });
    expect(hasChanges(planned)).toBe(true);
    const position = new Map(planned.steps.map((s, i) => [s.id, i]));
    for (const step of planned.steps) {
      for (const dependency of step.dependsOn) {
        expect(position.get(dependency)).toBeLessThan(position.get(step.id) ?? -1);
      }
    }
  });

  it('reads with one list call per resource type and changes nothing', async () => {
    const provider = clusterProvider();
    await plan(clusterGraph(), provider, { owner });
    expect(provider.cloud.calls.map((c) => c.operation)).toEqual(provider.types.map(() => 'list'));
  });

  it('is deterministic: the same input and cloud give byte-identical JSON', async () => {
    const provider = clusterProvider();
    await apply(await plan(clusterGraph({ workers: 1, image: 'old' }), provider, { owner }));
    const first = JSON.stringify(await plan(clusterGraph(), provider, { owner }));
    const second = JSON.stringify(await plan(clusterGraph(), provider, { owner }));
    expect(second).toBe(first);
  });

  it('keeps secrets out of an inspected plan too', async () => {
    const { inspect } = await import('node:util');
    const planned = await plan(clusterGraph({ token: 'abcdef.very-secret' }), clusterProvider(), {
      owner,
    });
    expect(inspect(planned, { depth: 10, showHidden: true })).not.toContain('very-secret');
  });

  it('plans updates, replacements with their reasons, and deletes of what left the graph', async () => {
    const provider = clusterProvider();
    await apply(await plan(clusterGraph({ etcd: 5 }), provider, { owner }));
    const changed = await plan(
      clusterGraph({ workers: 4, etcdZone: 'd', image: 'flatcar-2' }),
      provider,
      {
        owner,
      },
    );
    const byId = new Map(changed.steps.map((s) => [s.id, s]));
    expect(byId.get('mock.group/workers')).toMatchObject({
      action: 'update',
      fields: ['size', 'template'],
    });
    expect(byId.get('mock.instance/etcd-0')).toMatchObject({
      action: 'replace',
      fields: ['zone'],
      reason: 'zone cannot change in place',
      replaceStrategy: 'destroy-before-create',
    });
    expect(byId.get('mock.template/cp-flatcar-2')?.action).toBe('create');
    const deletes = changed.steps.filter((s) => s.action === 'delete');
    expect(deletes.map((s) => s.name).sort()).toEqual([
      'cp-flatcar-1',
      'etcd-3',
      'etcd-4',
      'worker-flatcar-1',
    ]);
    expect(deletes.every((s) => s.reason === 'not in the desired graph')).toBe(true);
    // Deletes come last: templates (listed after instances) go first, instances after them.
    const firstDelete = changed.steps.findIndex((s) => s.action === 'delete');
    expect(changed.steps.slice(firstDelete).every((s) => s.action === 'delete')).toBe(true);
    expect(deletes.map((s) => s.type)).toEqual([
      'mock.template',
      'mock.template',
      'mock.instance',
      'mock.instance',
    ]);
    const instanceDelete = deletes.find((s) => s.type === 'mock.instance');
    expect(instanceDelete?.dependsOn.every((id) => id.startsWith('mock.template/'))).toBe(true);
  });

  it('replaces a change a type cannot make in place', async () => {
    const types = [{ type: 'mock.disk', updatable: false }];
    const provider = createMockProvider({ types });
    const disk = (size: number): Resource<MockSpec> => ({
      type: 'mock.disk',
      name: 'data',
      spec: { size },
    });
    await apply(await plan({ resources: [disk(10)] }, provider, { owner }));
    const grown = await plan({ resources: [disk(20)] }, provider, { owner });
    expect(grown.steps).toMatchObject([
      { action: 'replace', reason: 'mock.disk cannot change in place' },
    ]);
  });

  it('deletes a duplicate left by a crash and keeps the object that matches', async () => {
    const provider = clusterProvider();
    await apply(await plan(clusterGraph(), provider, { owner }));
    const template = provider.cloud.owned(owner).find((o) => o.name === 'worker-flatcar-1');
    if (template === undefined) throw new Error('no template');
    const copy = provider.cloud.seed({ ...template, spec: { image: 'half-made' } });
    const again = await plan(clusterGraph(), provider, { owner });
    expect(again.steps.filter((s) => s.action !== 'noop')).toMatchObject([
      { action: 'delete', actualId: copy.id, reason: `duplicate of ${template.id}` },
    ]);
  });

  it('rejects an unusable graph, naming every problem', async () => {
    const provider = clusterProvider();
    const net: Resource<MockSpec> = { type: 'mock.network', name: 'net', spec: {} };
    const failure = await rejectionOf(
      plan(
        {
          resources: [
            { ...net, spec: { cidr: '1' } },
            net,
            { type: 'mock.nothing', name: 'x', spec: {} },
            {
              type: 'mock.subnet',
              name: 's',
              spec: {},
              dependsOn: [{ type: 'mock.network', name: 'gone' }],
            },
            {
              type: 'mock.network',
              name: 'early',
              spec: {},
              dependsOn: [{ type: 'mock.subnet', name: 's' }],
            },
          ],
        },
        provider,
        { owner },
      ),
    );
    expect(isGraphError(failure)).toBe(true);
    if (!isGraphError(failure)) return;
    expect(failure.code).toBe(GRAPH_INVALID_CODE);
    expect(failure.problems).toHaveLength(4);
  });

  it('rejects a cycle', async () => {
    const a: Resource<MockSpec> = {
      type: 'mock.group',
      name: 'a',
      spec: {},
      dependsOn: [{ type: 'mock.group', name: 'b' }],
    };
    const b: Resource<MockSpec> = { type: 'mock.group', name: 'b', spec: {}, dependsOn: [a] };
    const failure = await rejectionOf(plan({ resources: [a, b] }, clusterProvider(), { owner }));
    expect(isGraphError(failure) && failure.problems[0]).toMatch(
      /cycle: mock.group\/a, mock.group\/b/,
    );
  });

  it('reports start and finish', async () => {
    const { events, onEvent } = recorder();
    await plan(clusterGraph(), clusterProvider(), { owner, onEvent });
    expect(events.map((e) => e.type)).toEqual(['plan.started', 'plan.finished']);
  });

  it('runs the provider preflight first and stops when it fails', async () => {
    const provider = {
      ...clusterProvider(),
      preflight: async () => Promise.reject(new Error('no credentials')),
    };
    const failure = await rejectionOf(plan(clusterGraph(), provider, { owner }));
    expect(failure).toMatchObject({
      code: 'HAKOC_PROVIDER_ERROR',
      operation: 'preflight',
      retryable: false,
    });
    expect(provider.cloud.calls).toEqual([]);
  });
});

describe('saved plans', () => {
  it('load from JSON when nothing changed, and apply', async () => {
    const provider = clusterProvider();
    const input = clusterGraph();
    const saved: unknown = JSON.parse(JSON.stringify(await plan(input, provider, { owner })));
    const loaded = await loadPlan(saved, input, provider, { owner });
    await apply(loaded);
    expect((await plan(input, provider, { owner })).summary.changes).toBe(0);
  });

  it('are refused once the cloud changed, or for another format version', async () => {
    const provider = clusterProvider();
    const input = clusterGraph();
    const saved = JSON.parse(JSON.stringify(await plan(input, provider, { owner }))) as Record<
      string,
      unknown
    >;
    expect(
      isInvalidPlanError(
        await rejectionOf(loadPlan({ ...saved, formatVersion: 2 }, input, provider, { owner })),
      ),
    ).toBe(true);
    expect(
      isInvalidPlanError(
        await rejectionOf(
          loadPlan(saved, input, provider, { owner: { ...owner, cluster: 'other' } }),
        ),
      ),
    ).toBe(true);
    await apply(await plan({ resources: input.resources.slice(0, 1) }, provider, { owner }));
    expect(isStalePlanError(await rejectionOf(loadPlan(saved, input, provider, { owner })))).toBe(
      true,
    );
  });

  it('cannot be applied as plain JSON', async () => {
    const saved = JSON.parse(
      JSON.stringify(await plan(clusterGraph(), clusterProvider(), { owner })),
    );
    expect(isInvalidPlanError(await rejectionOf(apply(saved)))).toBe(true);
  });
});
