import { describe, expect, it } from 'vitest';
import { apply, type PlanDocument, plan, toDot, toMermaid } from '../../src/engine/index.js';
import { clusterGraph, clusterProvider, owner } from './fixtures.js';

async function changedPlan(): Promise<PlanDocument> {
  const provider = clusterProvider();
  await apply(await plan(clusterGraph({ etcd: 4 }), provider, { owner }));
  return plan(clusterGraph({ workers: 3, etcdZone: 'd' }), provider, { owner });
}

describe('graph rendering', () => {
  it('draws the plan as a Mermaid flowchart with one node per step and one arrow per dependency', async () => {
    const planned = await changedPlan();
    const text = toMermaid(planned);
    expect(text.startsWith('flowchart LR\n')).toBe(true);
    const nodes = text.split('\n').filter((line) => /^ {2}s\d+\["/.test(line));
    expect(nodes).toHaveLength(planned.steps.length);
    const arrows = text.split('\n').filter((line) => line.includes('-->'));
    expect(arrows).toHaveLength(planned.steps.reduce((n, s) => n + s.dependsOn.length, 0));
    expect(text).toContain('["replace mock.instance/etcd-0"]:::replace');
    expect(text).toContain('["delete mock.instance/etcd-3"]:::delete');
    expect(text).toContain('classDef update');
    expect(text).not.toContain('classDef create');
  });

  it('draws the plan as Graphviz DOT', async () => {
    const planned = await changedPlan();
    const text = toDot(planned);
    expect(text.startsWith('digraph "mock/demo" {\n')).toBe(true);
    expect(text).toContain(
      '"mock.group/workers" [label="update\\nmock.group/workers", color="#b28900"];',
    );
    expect(text).toContain('"mock.subnet/nodes" -> "mock.instance/etcd-0";');
    expect(text.trimEnd().endsWith('}')).toBe(true);
  });
});
