import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import {
  apply,
  isLockedError,
  type LockRecord,
  type PendingLock,
  type Provider,
  ProviderError,
  plan,
} from '../../src/engine/index.js';
import type { MockInput, MockOperation, MockProvider } from '../../src/testing/index.js';
import { clusterGraph, clusterProvider, owner, rejectionOf } from './fixtures.js';

const MUTATIONS: readonly MockOperation[] = ['create', 'update', 'delete'];

function conflict(): ProviderError {
  return new ProviderError('The lock exists.', {
    provider: 'mock',
    operation: 'lock',
    reason: 'conflict',
  });
}

/** `provider` whose lock store accepts a lock at once and confirms it through `confirm`. */
function withBegin(
  provider: MockProvider,
  confirm: (lock: LockRecord, attempt: number) => Promise<void>,
): Provider<MockInput> {
  let attempts = 0;
  return {
    ...provider,
    lock: {
      ...provider.lock,
      begin: async (ctx, lock): Promise<PendingLock> => {
        attempts += 1;
        await provider.lock.create(ctx, lock);
        return { confirmed: confirm(lock, attempts) };
      },
    },
  };
}

/** Calls the cloud received after the first `from`. */
function callsSince(provider: MockProvider, from: number): MockOperation[] {
  return provider.cloud.calls.slice(from).map((call) => call.operation);
}

/** Waits until `ready()` holds, at most `ms`. */
async function until(ready: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!ready() && Date.now() < deadline) await sleep(5);
}

describe('a lock store that confirms the lock after accepting it (begin)', () => {
  it('re-reads the cluster while the lock is confirmed, and changes nothing before', async () => {
    const provider = clusterProvider();
    let confirm = () => {};
    const confirmed = new Promise<void>((resolve) => {
      confirm = resolve;
    });
    const slow = withBegin(provider, () => confirmed);
    const planned = await plan(clusterGraph(), slow, { owner });
    const from = provider.cloud.calls.length;
    const applying = apply(planned);
    await until(() => callsSince(provider, from).includes('list'), 5_000);
    // Time enough for an engine that did not wait for the confirmation to start changing things.
    await sleep(50);
    const beforeConfirmed = callsSince(provider, from);
    confirm();
    const result = await applying;
    expect(beforeConfirmed).toContain('list');
    expect(beforeConfirmed.filter((operation) => MUTATIONS.includes(operation))).toEqual([]);
    expect(result.totals.done).toBe(13);
  });

  it('stops before any change when the confirmation shows another holder won', async () => {
    const provider = clusterProvider();
    const other: LockRecord = {
      id: 'other',
      holder: 'someone-else',
      operation: 'apply',
      acquiredAt: new Date(0).toISOString(),
    };
    const ctx = { owner, signal: new AbortController().signal };
    const losing = withBegin(provider, async (mine) => {
      // The other insert won after all: ours is gone and theirs is the lock.
      await provider.lock.delete(ctx, mine);
      await provider.lock.create(ctx, other);
      throw conflict();
    });
    const planned = await plan(clusterGraph(), losing, { owner });
    const from = provider.cloud.calls.length;
    const failure = await rejectionOf(apply(planned));
    expect(isLockedError(failure)).toBe(true);
    expect(callsSince(provider, from).filter((op) => MUTATIONS.includes(op))).toEqual([]);
    expect(provider.cloud.lockOf(owner.cluster)?.id).toBe('other');
  });

  it('reads the cluster again when the lock had to be taken a second time', async () => {
    const control = clusterProvider();
    const controlPlan = await plan(clusterGraph(), control, { owner });
    const controlFrom = control.cloud.calls.length;
    await apply(controlPlan);
    const listsOnce = callsSince(control, controlFrom).filter((op) => op === 'list').length;

    const provider = clusterProvider();
    const ctx = { owner, signal: new AbortController().signal };
    const retaking = withBegin(provider, async (mine, attempt) => {
      if (attempt > 1) return;
      // The first confirmation fails and no one holds the lock: the engine takes it again.
      await provider.lock.delete(ctx, mine);
      throw conflict();
    });
    const planned = await plan(clusterGraph(), retaking, { owner });
    const from = provider.cloud.calls.length;
    const result = await apply(planned);
    const lists = callsSince(provider, from).filter((op) => op === 'list').length;
    expect(result.totals.done).toBe(13);
    expect(listsOnce).toBeGreaterThan(0);
    expect(lists).toBe(2 * listsOnce);
    expect(provider.cloud.lockOf(owner.cluster)).toBeUndefined();
  });

  it('takes the lock again when its confirmation failed for a passing reason', async () => {
    const provider = clusterProvider();
    const ctx = { owner, signal: new AbortController().signal };
    const flaky = withBegin(provider, async (mine, attempt) => {
      if (attempt > 2) return;
      // The insert's operation failed and changed nothing: GCE says try again.
      await provider.lock.delete(ctx, mine);
      throw new ProviderError('Internal error.', {
        provider: 'mock',
        operation: 'lock',
        reason: 'unavailable',
      });
    });
    const result = await apply(await plan(clusterGraph(), flaky, { owner }));
    expect(result.totals.done).toBe(13);
    expect(provider.cloud.calls.filter((call) => call.operation === 'lock.create')).toHaveLength(3);
    expect(provider.cloud.lockOf(owner.cluster)).toBeUndefined();
  });

  it('gives up on a confirmation that keeps failing, holding nothing', async () => {
    const provider = clusterProvider();
    const ctx = { owner, signal: new AbortController().signal };
    const broken = withBegin(provider, async (mine) => {
      await provider.lock.delete(ctx, mine);
      throw new ProviderError('Internal error.', {
        provider: 'mock',
        operation: 'lock',
        reason: 'unavailable',
      });
    });
    const planned = await plan(clusterGraph(), broken, { owner });
    const from = provider.cloud.calls.length;
    const failure = await rejectionOf(apply(planned));
    expect(failure).toMatchObject({ reason: 'unavailable' });
    expect(callsSince(provider, from).filter((op) => MUTATIONS.includes(op))).toEqual([]);
    expect(provider.cloud.lockOf(owner.cluster)).toBeUndefined();
  });
});
