import { describe, expect, it } from 'vitest';
import { buildPlan } from '../../src/engine/build-plan.js';
import { apply, type PlanDocument, plan, toDot } from '../../src/engine/index.js';
import { readSnapshot } from '../../src/engine/snapshot.js';
import { clusterGraph, clusterProvider, owner } from './fixtures.js';

describe('toDot', () => {
  it('escapes backslashes and quotes in labels, keeping the line break', () => {
    const document: PlanDocument = {
      formatVersion: 1,
      provider: 'p',
      cluster: 'c',
      fingerprint: 'f',
      steps: [{ id: 't/a\\"b', type: 't', name: 'a\\"b', action: 'create', dependsOn: [] }],
      summary: { create: 1, update: 0, replace: 0, delete: 0, noop: 0, changes: 1 },
    };
    expect(toDot(document)).toContain('"t/a\\\\\\"b" [label="create\\nt/a\\\\\\"b", color=');
  });
});

describe('buildPlan', () => {
  it('gives deletes the reason it is told (destroy: the cluster is destroyed)', async () => {
    const provider = clusterProvider();
    await apply(await plan(clusterGraph(), provider, { owner }));
    const snapshot = await readSnapshot(provider, owner, {
      signal: new AbortController().signal,
      retry: undefined,
    });
    const reasons = (built: ReturnType<typeof buildPlan>) =>
      new Set(built.document.steps.map((s) => s.reason));
    expect(reasons(buildPlan(provider, owner, [], snapshot))).toEqual(
      new Set(['not in the desired graph']),
    );
    expect(
      reasons(buildPlan(provider, owner, [], snapshot, {}, 'the cluster is destroyed')),
    ).toEqual(new Set(['the cluster is destroyed']));
  });
});
