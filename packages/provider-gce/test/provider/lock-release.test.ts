import { isProviderError, type LockRecord, readLock } from '@hakoc/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BorrowedClients, borrowClients } from '../../src/client-pool.js';
import { lockName } from '../../src/lock-store.js';
import { type GceWorld, startWorld } from './fixtures.js';

const PROJECT = 'my-project';

function record(id: string): LockRecord {
  return { id, holder: `${id}-host:1`, operation: 'apply', acquiredAt: new Date(0).toISOString() };
}

describe('the GCE lock released without waiting for its delete', () => {
  let world: GceWorld;
  let borrowed: BorrowedClients;
  // A health check's delete takes 500 ms here: long enough to see it pending.
  beforeAll(async () => {
    world = await startWorld({ latencyScale: 0.1 });
    borrowed = borrowClients({ endpoint: world.emulator.url });
  });
  afterAll(async () => {
    await borrowed.release();
    await world.close();
  });

  const ctx = () => ({ owner: world.owner, signal: AbortSignal.timeout(30_000) });
  const checkExists = async () => {
    const [checks] = await (await borrowed.clients).healthChecks.list(
      { project: PROJECT, filter: `name = "${lockName(world.owner.cluster)}"` },
      { autoPaginate: false },
    );
    return checks.length > 0;
  };

  it('reads as released while the delete runs, and the next holder waits for it', async () => {
    const store = world.provider().lock;
    await store.create(ctx(), record('first'));
    expect(await store.read(ctx())).toMatchObject({ id: 'first' });
    await store.delete(ctx(), record('first'));
    // The delete was started, not finished: the check is still there, yet the lock is free.
    expect(await checkExists()).toBe(true);
    expect(await store.read(ctx())).toBeUndefined();
    expect(await readLock(world.owner, world.provider())).toBeUndefined();
    await store.create(ctx(), record('second'));
    expect(await store.read(ctx())).toMatchObject({ id: 'second', holder: 'second-host:1' });
    await store.delete(ctx(), record('second'));
  });

  it('gives the lock to exactly one of two takers that meet a pending delete', async () => {
    const store = world.provider().lock;
    await store.create(ctx(), record('before'));
    await store.delete(ctx(), record('before'));
    expect(await checkExists()).toBe(true);
    const outcomes = await Promise.allSettled([
      store.create(ctx(), record('left')),
      store.create(ctx(), record('right')),
    ]);
    const won = outcomes.flatMap((o, i) =>
      o.status === 'fulfilled' ? [['left', 'right'][i]] : [],
    );
    const lost = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason] : []));
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(isProviderError(lost[0]) && lost[0].reason).toBe('conflict');
    expect((await store.read(ctx()))?.id).toBe(won[0]);
    await store.delete(ctx(), record(won[0] ?? ''));
  });

  it("keeps a holder's lock from anyone else until it is released", async () => {
    const store = world.provider().lock;
    const pending = await store.begin?.(ctx(), record('holder'));
    expect(pending).toBeDefined();
    // Accepted but not yet confirmed: the name is taken already.
    const second = await store.create(ctx(), record('late')).catch((e: unknown) => e);
    expect(isProviderError(second) && second.reason).toBe('conflict');
    await pending?.confirmed;
    expect((await store.read(ctx()))?.id).toBe('holder');
    await store.delete(ctx(), record('holder'));
  });

  it('leaves a lock it does not hold alone, and a broken lock can be taken at once', async () => {
    const store = world.provider().lock;
    await store.create(ctx(), record('crashed'));
    await store.delete(ctx(), record('someone-else'));
    expect((await store.read(ctx()))?.id).toBe('crashed');
    const blocked = await store.create(ctx(), record('next')).catch((e: unknown) => e);
    expect(isProviderError(blocked) && blocked.reason).toBe('conflict');
    // Breaking it (`hakoc lock break`) deletes it; the next apply need not wait for that.
    await store.delete(ctx(), record('crashed'));
    await store.create(ctx(), record('next'));
    expect((await store.read(ctx()))?.id).toBe('next');
    await store.delete(ctx(), record('next'));
  });
});
