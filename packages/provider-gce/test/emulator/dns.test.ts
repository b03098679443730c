import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GceEmulator, startGceEmulator } from '../../src/emulator/index.js';
import { dnsClient } from './clients.js';
import { PROJECT } from './fixtures.js';

describe('Cloud DNS through the real @google-cloud/dns client', () => {
  let emulator: GceEmulator;

  beforeAll(async () => {
    emulator = await startGceEmulator({
      latencyScale: 0.001,
      dnsZones: [{ name: 'example-zone', dnsName: 'example.com.' }],
    });
  });

  afterAll(async () => {
    await emulator.close();
  });

  it('finds the seeded zone and creates, lists and deletes A records', async () => {
    const dns = await dnsClient(emulator, PROJECT);
    const [zones] = await dns.getZones();
    expect(zones.map((z) => z.name)).toEqual(['example-zone']);
    expect(zones[0]?.metadata.dnsName).toBe('example.com.');
    const zone = dns.zone('example-zone');
    const api = zone.record('a', { name: 'api.demo.example.com.', ttl: 300, data: '34.100.0.1' });
    const etcd0 = zone.record('a', {
      name: 'etcd-0.demo.example.com.',
      ttl: 300,
      data: '10.10.0.2',
    });
    const [change] = await zone.addRecords([api, etcd0]);
    expect(change.metadata.status).toBe('pending');
    const [records] = await zone.getRecords({ type: 'A' });
    expect(records.map((r) => r.metadata.name).sort()).toEqual([
      'api.demo.example.com.',
      'etcd-0.demo.example.com.',
    ]);
    const duplicate = await zone.addRecords([api]).then(
      () => undefined,
      (error: { code?: number; errors?: Array<{ reason?: string }> }) => error,
    );
    expect(duplicate?.code).toBe(409);
    expect(duplicate?.errors?.[0]?.reason).toBe('alreadyExists');
    await zone.deleteRecords([api]);
    const [left] = await zone.getRecords({ type: 'A' });
    expect(left.map((r) => r.metadata.name)).toEqual(['etcd-0.demo.example.com.']);
    const [soa] = await zone.getRecords({ type: 'SOA' });
    expect(soa).toHaveLength(1);
    const [changes] = await zone.getChanges();
    expect(changes.length).toBeGreaterThanOrEqual(2);
  });

  it('refuses a record outside the zone and deleting a zone that is not empty', async () => {
    const dns = await dnsClient(emulator, 'other-project');
    const zone = dns.zone('example-zone');
    const outside = await zone
      .addRecords([zone.record('a', { name: 'api.elsewhere.org.', ttl: 60, data: '1.2.3.4' })])
      .then(
        () => undefined,
        (error: { code?: number }) => error,
      );
    expect(outside?.code).toBe(400);
    await zone.addRecords([zone.record('a', { name: 'x.example.com.', ttl: 60, data: '1.2.3.4' })]);
    const notEmpty = await zone.delete().then(
      () => undefined,
      (error: { code?: number }) => error,
    );
    expect(notEmpty?.code).toBe(400);
    await zone.delete({ force: true });
    const [zones] = await dns.getZones();
    expect(zones).toHaveLength(0);
    expect(emulator.countCalls({ api: 'dns', method: 'DELETE' })).toBe(2);
  });
});
