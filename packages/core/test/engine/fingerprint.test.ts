import { describe, expect, it } from 'vitest';
import { apply, type Provider, plan, type ResourceType } from '../../src/engine/index.js';
import { createMockProvider, type MockInput } from '../../src/testing/index.js';
import { owner } from './fixtures.js';

// A type whose listed objects carry a status that changes on every read, like a VM's.
function withVolatileStatus(fingerprint?: ResourceType['fingerprint']): Provider<MockInput> {
  const mock = createMockProvider({ types: [{ type: 'mock.vm' }] });
  let reads = 0;
  return {
    ...mock,
    types: mock.types.map((type) => ({
      ...type,
      ...(fingerprint ? { fingerprint } : {}),
      list: async (ctx, o) => {
        reads += 1;
        return (await type.list(ctx, o)).map((state) => ({ ...state, status: `tick-${reads}` }));
      },
    })),
  };
}

const input: MockInput = { resources: [{ type: 'mock.vm', name: 'a', spec: { size: 1 } }] };

describe('fingerprints', () => {
  it('cover the whole state by default, so a volatile field makes every plan stale', async () => {
    const provider = withVolatileStatus();
    await apply(await plan(input, provider, { owner }));
    const first = await plan(input, provider, { owner });
    expect((await plan(input, provider, { owner })).fingerprint).not.toBe(first.fingerprint);
  });

  it("cover only what the type's fingerprint picks", async () => {
    const provider = withVolatileStatus((state) => {
      const { status: _status, ...stable } = state as typeof state & { status: string };
      return stable;
    });
    await apply(await plan(input, provider, { owner }));
    const first = await plan(input, provider, { owner });
    expect((await plan(input, provider, { owner })).fingerprint).toBe(first.fingerprint);
    await expect(apply(first)).resolves.toMatchObject({ totals: { done: 0 } });
  });
});
