import { describe, expect, it } from 'vitest';
import { isInvalidPlanError, loadPlan, plan } from '../../src/engine/index.js';
import { clusterGraph, clusterProvider, owner, rejectionOf } from './fixtures.js';

describe('loadPlan', () => {
  it('accepts a saved plan a tool annotated, comparing only the fields of the format', async () => {
    const provider = clusterProvider();
    const input = clusterGraph();
    const saved = JSON.parse(JSON.stringify(await plan(input, provider, { owner })));
    const annotated = {
      ...saved,
      reviewedBy: 'alice',
      steps: saved.steps.map((step: object) => ({ ...step, note: 'looks fine' })),
    };
    const loaded = await loadPlan(annotated, input, provider, { owner });
    expect(loaded.fingerprint).toBe(saved.fingerprint);
  });

  it.each([
    ['a step without an id', (saved: Record<string, unknown>) => ({ ...saved, steps: [{}] })],
    ['a summary with text in it', (saved: Record<string, unknown>) => ({ ...saved, summary: 'x' })],
    ['no fingerprint', ({ fingerprint: _, ...rest }: Record<string, unknown>) => rest],
  ])('calls a document with %s invalid, not stale', async (_, spoil) => {
    const provider = clusterProvider();
    const input = clusterGraph();
    const saved = JSON.parse(JSON.stringify(await plan(input, provider, { owner })));
    const error = await rejectionOf(loadPlan(spoil(saved), input, provider, { owner }));
    expect(isInvalidPlanError(error)).toBe(true);
  });
});
