import type { OperationContext, Resource } from '@hakoc/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DNS_RECORD_TYPE, type DnsRecordSpec } from '../../src/resources/dns-record.js';
import { EXAMPLE_ZONE, type GceWorld, startWorld } from './fixtures.js';

const RECORD: Resource<DnsRecordSpec> = {
  type: DNS_RECORD_TYPE,
  name: 'etcd-7.example.com.',
  spec: { zone: EXAMPLE_ZONE.name, ttl: 60, rrdatas: ['10.0.0.7'], address: '' },
};

describe('a Cloud DNS change is polled with a growing interval', () => {
  let world: GceWorld;
  // A change takes 1 s here (4 s at scale 1): every 25 ms would be about forty reads.
  beforeAll(async () => {
    world = await startWorld({ latencyScale: 0.25 });
  });
  afterAll(async () => {
    await world.close();
  });

  it('waits for the change to be done with a handful of reads', async () => {
    const type = world.provider().types.find((t) => t.type === DNS_RECORD_TYPE);
    if (type === undefined) throw new Error('no DNS record type');
    const ctx: OperationContext = {
      owner: world.owner,
      signal: AbortSignal.timeout(30_000),
      requestId: '3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f',
      attempt: 1,
      progress: () => undefined,
    };
    const from = world.emulator.log.length;
    await type.create(ctx, RECORD);
    const changeReads = world.emulator.log
      .slice(from)
      .filter((call) => call.method === 'GET' && /\/changes\/[^/]+$/.test(call.path));
    const changes = world.emulator.log
      .slice(from)
      .filter((call) => call.method === 'POST' && /\/changes$/.test(call.path));
    expect(changes).toHaveLength(1);
    // Done only after its latency, so it was read at least once; 100 ms growing by a quarter
    // reaches 1 s after six reads.
    expect(changeReads.length).toBeGreaterThan(0);
    expect(changeReads.length).toBeLessThanOrEqual(8);
    const listed = await type.list(ctx, world.owner);
    expect(listed.map((state) => state.name)).toEqual([RECORD.name]);
  });
});
