import { describe, expect, it } from 'vitest';
import {
  apply,
  destroy,
  type EngineOperation,
  type Provider,
  plan,
  type ResourceType,
} from '../../src/engine/index.js';
import type { MockInput } from '../../src/testing/index.js';
import { clusterGraph, clusterProvider, owner } from './fixtures.js';

/** The cluster provider, its types recording which run each create and delete belongs to. */
function recordingProvider(): {
  provider: Provider<MockInput>;
  seen: { call: 'create' | 'delete'; operation: EngineOperation | undefined }[];
} {
  const base = clusterProvider();
  const seen: { call: 'create' | 'delete'; operation: EngineOperation | undefined }[] = [];
  const types = base.types.map(
    (type): ResourceType => ({
      ...type,
      create: (ctx, resource) => {
        seen.push({ call: 'create', operation: ctx.operation });
        return type.create(ctx, resource);
      },
      delete: (ctx, current) => {
        seen.push({ call: 'delete', operation: ctx.operation });
        return type.delete(ctx, current);
      },
    }),
  );
  return { provider: { ...base, types }, seen };
}

describe('the operation a provider call belongs to', () => {
  it('is apply for the steps of an apply, destroy for those of a destroy', async () => {
    const { provider, seen } = recordingProvider();
    await apply(await plan(clusterGraph(), provider, { owner }));
    const fewer = { resources: clusterGraph().resources.slice(0, -1) };
    await apply(await plan(fewer, provider, { owner }));
    const applied = seen.splice(0);
    expect(applied.filter((s) => s.call === 'create').length).toBeGreaterThan(1);
    expect(applied.some((s) => s.call === 'delete')).toBe(true);
    expect(new Set(applied.map((s) => s.operation))).toEqual(new Set(['apply']));

    await destroy(owner, provider);
    expect(seen.length).toBeGreaterThan(1);
    expect(seen.every((s) => s.call === 'delete' && s.operation === 'destroy')).toBe(true);
  });
});
