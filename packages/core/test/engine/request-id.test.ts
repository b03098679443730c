import { describe, expect, it } from 'vitest';
import { apply, isApplyError, plan } from '../../src/engine/index.js';
import { createMockProvider, type MockInput } from '../../src/testing/index.js';
import { failNext, fastRetry, owner, rejectionOf } from './fixtures.js';

const thing = (size: number): MockInput => ({
  resources: [{ type: 'mock.thing', name: 'a', spec: { size } }],
});
const createIds = (provider: ReturnType<typeof createMockProvider>) =>
  provider.cloud.calls.filter((c) => c.operation === 'create').map((c) => c.requestId);

describe('request ids', () => {
  it('differ once the spec is fixed after a create that failed with no effect', async () => {
    const provider = createMockProvider({ types: [{ type: 'mock.thing' }] });
    provider.cloud.setFaults(failNext(1, { kind: 'error', reason: 'invalid' }));
    const failure = await rejectionOf(apply(await plan(thing(0), provider, { owner })));
    expect(isApplyError(failure) && failure.failed[0]?.error.noEffect).toBe(true);
    provider.cloud.setFaults(undefined);
    // The cloud did not change, so only the spec tells the second request from the first; the
    // mock, like GCE, answers a repeated id with the first, failed, operation.
    const result = await apply(await plan(thing(1), provider, { owner }));
    expect(result.totals.done).toBe(1);
    const [first, second] = createIds(provider);
    expect(second).not.toBe(first);
  });

  it('are new after an attempt that failed with no effect, so the retry is carried out', async () => {
    const provider = createMockProvider({ types: [{ type: 'mock.thing' }] });
    provider.cloud.setFaults(failNext(1, { kind: 'error', reason: 'unavailable' }));
    const result = await apply(await plan(thing(1), provider, { owner }), { retry: fastRetry });
    expect(result.totals.done).toBe(1);
    const ids = createIds(provider);
    expect(ids).toHaveLength(2);
    expect(ids[1]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(ids[1]).not.toBe(ids[0]);
  });

  it('stay the same across retries when a failed call may have taken effect', async () => {
    const provider = createMockProvider({ types: [{ type: 'mock.thing' }] });
    provider.cloud.setFaults(failNext(1, { kind: 'error', reason: 'unavailable', when: 'after' }));
    await apply(await plan(thing(1), provider, { owner }), { retry: fastRetry });
    expect(new Set(createIds(provider)).size).toBe(1);
    expect(provider.cloud.owned(owner)).toHaveLength(1);
  });
});
