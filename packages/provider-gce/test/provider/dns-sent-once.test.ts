import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type ComputeClients, loadComputeClients } from '../../src/compute-clients.js';
import { type FaultKind, type GceEmulator, startGceEmulator } from '../../src/emulator/index.js';
import { EXAMPLE_ZONE, emulatorOptions } from './fixtures.js';
import { recordSetsAt, ZONE_CHANGES } from './one-dns-record.js';

// Left to itself, the Cloud DNS client resends a request 2–3 s after a 429/5xx answer or a
// connection that died without one (up to three times), POSTed changes included, whatever its
// caller has done since. The fault storms met such a change landing seconds after its step had
// given up, in a project reset meanwhile. The provider's clients send each request once.

const PROJECT = 'my-project';
/** Longer than the client's first resend would wait (2 s plus up to 1 s of jitter). */
const RESEND_WINDOW_MS = 3_500;

describe('the Cloud DNS client sends each request once', () => {
  let emulator: GceEmulator;
  let clients: ComputeClients;
  beforeAll(async () => {
    emulator = await startGceEmulator(emulatorOptions({ seed: 1 }));
    clients = await loadComputeClients({ endpoint: emulator.url });
  });
  beforeEach(() => {
    emulator.reset(1);
  });
  afterAll(async () => {
    await clients?.close();
    await emulator?.close();
  });

  const changesPosted = () =>
    emulator.log.filter((entry) => entry.method === 'POST' && ZONE_CHANGES.test(entry.path)).length;
  const addRecord = () => {
    const zone = clients.dnsOf(PROJECT).zone(EXAMPLE_ZONE.name);
    return zone.createChange({
      add: zone.record('a', { name: 'api.example.com.', ttl: 60, data: ['192.0.2.1'] }),
    });
  };

  it.each<FaultKind>(['backendError', 'rateLimitExceeded', 'connectionReset', 'responseLost'])(
    'a change answered with %s fails at once and is not sent again',
    async (fault) => {
      emulator.setFaults({ rules: [{ method: 'POST', pathPattern: ZONE_CHANGES, error: fault }] });
      await expect(addRecord()).rejects.toThrow();
      expect(changesPosted()).toBe(1);
      await sleep(RESEND_WINDOW_MS);
      expect(changesPosted()).toBe(1);
      // The one that was carried out before its answer was lost is there; nothing else is.
      const added = recordSetsAt(emulator, 'api.example.com.');
      expect(added.length).toBe(fault === 'responseLost' ? 1 : 0);
    },
  );

  it('still sends, authenticates and parses a change and a read', async () => {
    const [change] = await addRecord();
    expect(['pending', 'done']).toContain(change.metadata?.status);
    const [records] = await clients.dnsOf(PROJECT).zone(EXAMPLE_ZONE.name).getRecords();
    expect(records.map((record) => record.metadata.name)).toContain('api.example.com.');
    expect(changesPosted()).toBe(1);
  });
});
