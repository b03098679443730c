import { describe, expect, it } from 'vitest';
import { isProviderError, type Provider, plan, type ResourceType } from '../../src/engine/index.js';
import { createMockProvider, type MockInput } from '../../src/testing/index.js';
import { owner, rejectionOf } from './fixtures.js';

// A provider whose one type lists `listed`, with the given type options on top.
function listing(
  listed: readonly { id: string; name: string; labels?: Record<string, string> }[],
  extra: Partial<ResourceType> = {},
): Provider<MockInput> {
  const mock = createMockProvider({ types: [{ type: 'mock.thing' }] });
  return {
    ...mock,
    types: mock.types.map((type) => ({ ...type, ...extra, list: async () => listed })),
  };
}

describe('ownership proof of listed objects', () => {
  it('refuses an object listed without labels: no proof, no delete', async () => {
    const error = await rejectionOf(
      plan({ resources: [] }, listing([{ id: 'x', name: 'stray' }]), { owner }),
    );
    expect(isProviderError(error) && error.reason === 'invalid').toBe(true);
    expect((error as Error).message).toContain('does not carry the labels of cluster "demo"');
  });

  it("takes an unlabelled object as owned when the type's list call verified it", async () => {
    const provider = listing([{ id: 'x', name: 'stray' }], { ownership: 'provider-verified' });
    const planned = await plan({ resources: [] }, provider, { owner });
    expect(planned.steps.map((s) => s.action)).toEqual(['delete']);
  });

  it("still refuses another cluster's labels from a provider-verified type", async () => {
    const labels = { 'hakoc-cluster': 'other', 'hakoc-managed': 'true' };
    const provider = listing([{ id: 'x', name: 'stray', labels }], {
      ownership: 'provider-verified',
    });
    expect(isProviderError(await rejectionOf(plan({ resources: [] }, provider, { owner })))).toBe(
      true,
    );
  });
});
