import { isProviderError, type LockRecord, readLock } from '@hakoc/core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { lockRecordName } from '../../src/lock-store.js';
import { EXAMPLE_ZONE, type GceWorld, startWorld } from './fixtures.js';
import { recordSetsAt, ZONE_CHANGES, ZONE_RRSETS } from './one-dns-record.js';

// The GCE cluster lock, a TXT record in the cluster's Cloud DNS zone, through the real Cloud DNS
// client against the emulator. Cloud DNS changes take their modelled time to be `done` here
// (seconds): nothing waits for that.

const PROJECT = 'my-project';
const LOCK = lockRecordName('k8s.example.com');

function record(id: string, extra: Partial<LockRecord> = {}): LockRecord {
  return {
    id,
    holder: `${id}-host:1`,
    operation: 'apply',
    acquiredAt: new Date(0).toISOString(),
    ...extra,
  };
}

describe('the GCE cluster lock (a TXT record in the Cloud DNS zone)', () => {
  let world: GceWorld;
  beforeAll(async () => {
    world = await startWorld({ latencyScale: 1 });
  });
  beforeEach(async () => {
    await world.reset();
  });
  afterAll(async () => {
    await world.close();
  });

  const ctx = () => ({ owner: world.owner, signal: AbortSignal.timeout(30_000) });
  const lockSets = () => recordSetsAt(world.emulator, LOCK);
  const zoneUrl = () =>
    `${world.emulator.dnsBaseUrl}/projects/${PROJECT}/managedZones/${EXAMPLE_ZONE.name}`;
  /** The zone's changes as Cloud DNS reports them, `pending` until the name servers have them. */
  const changeStatuses = async () => {
    const listed = (await (await fetch(`${zoneUrl()}/changes`)).json()) as {
      changes?: { status?: string }[];
    };
    return (listed.changes ?? []).map((change) => change.status);
  };

  it('is held once Cloud DNS accepts the change: a second taker is refused while it is pending', async () => {
    const store = world.provider().lock;
    await store.create(ctx(), record('first'));
    const second = await store.create(ctx(), record('second')).catch((e: unknown) => e);
    expect(isProviderError(second) && second.reason).toBe('conflict');
    // Both answers came while the first change was still being sent to the name servers.
    expect(await changeStatuses()).toEqual(['pending']);
    expect(await store.read(ctx())).toEqual(record('first'));
    expect(lockSets()).toEqual([
      expect.objectContaining({ type: 'TXT', ttl: 60, name: '_hakoc-lock.k8s.example.com.' }),
    ]);
    await store.delete(ctx(), record('first'));
    expect(lockSets()).toEqual([]);
    expect(await readLock(world.owner, world.provider())).toBeUndefined();
  });

  it('gives the lock to exactly one of two takers at once', async () => {
    const store = world.provider().lock;
    const outcomes = await Promise.allSettled([
      store.create(ctx(), record('left')),
      store.create(ctx(), record('right')),
    ]);
    const won = outcomes.flatMap((o, i) =>
      o.status === 'fulfilled' ? [['left', 'right'][i]] : [],
    );
    const lost = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason] : []));
    expect(won).toHaveLength(1);
    expect(isProviderError(lost[0]) && lost[0].reason).toBe('conflict');
    expect((await store.read(ctx()))?.id).toBe(won[0]);
  });

  it('keeps every field, an odd holder and a fingerprint past one TXT string included', async () => {
    const store = world.provider().lock;
    const lock = record('odd', {
      holder: 'ci "runner" #7 — ünïcode; $(rm -rf /) '.repeat(8),
      operation: 'destroy',
      fingerprint: 'f'.repeat(64),
    });
    await store.create(ctx(), lock);
    const [set] = lockSets();
    const strings = String((set?.rrdatas as string[] | undefined)?.[0]).match(/"[^"]*"/g) ?? [];
    expect(strings.length).toBeGreaterThan(1);
    expect(strings.every((s) => s.length <= 257)).toBe(true);
    expect(await store.read(ctx())).toEqual(lock);
  });

  it('leaves a lock it does not hold alone, and a broken lock can be taken at once', async () => {
    const store = world.provider().lock;
    await store.create(ctx(), record('crashed'));
    await store.delete(ctx(), record('someone-else'));
    expect((await store.read(ctx()))?.id).toBe('crashed');
    // Breaking it (`hakoc lock break`) deletes it; the next apply need not wait.
    await store.delete(ctx(), record('crashed'));
    await store.create(ctx(), record('next'));
    expect((await store.read(ctx()))?.id).toBe('next');
  });

  it('takes a release whose answer was lost, tried again, as done', async () => {
    const store = world.provider().lock;
    await store.create(ctx(), record('held'));
    world.emulator.setFaults({
      rules: [{ method: 'POST', pathPattern: ZONE_CHANGES, error: 'responseLost' }],
    });
    const lost = await store.delete(ctx(), record('held')).catch((e: unknown) => e);
    expect(isProviderError(lost) && lost.retryable).toBe(true);
    expect(lockSets()).toEqual([]);
    await store.delete(ctx(), record('held'));
    expect(await store.read(ctx())).toBeUndefined();
  });

  it('refuses a TXT record at its name that is not this cluster’s lock, by name, and never removes it', async () => {
    const response = await fetch(`${zoneUrl()}/changes`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        additions: [{ name: LOCK, type: 'TXT', ttl: 300, rrdatas: ['"v=spf1 -all"'] }],
      }),
    });
    expect(response.status).toBe(200);
    const store = world.provider().lock;
    const refused = await store.read(ctx()).catch((e: unknown) => e);
    expect(isProviderError(refused) && refused.reason).toBe('conflict');
    expect(String((refused as Error).message)).toContain("not cluster demo's lock");
    await expect(store.delete(ctx(), record('any'))).rejects.toThrow(/not cluster demo's lock/);
    await expect(store.create(ctx(), record('any'))).rejects.toThrow(/not cluster demo's lock/);
    expect(lockSets()).toHaveLength(1);
  });

  it('reads a record list it cannot parse as a failure to try again, never as no lock', async () => {
    const store = world.provider().lock;
    await store.create(ctx(), record('held'));
    world.emulator.setFaults({
      rules: [{ method: 'GET', pathPattern: ZONE_RRSETS, error: 'malformedResponse' }],
    });
    const failure = await store.read(ctx()).catch((e: unknown) => e);
    expect(isProviderError(failure) && failure.reason).toBe('unavailable');
    expect((await store.read(ctx()))?.id).toBe('held');
  });
});
