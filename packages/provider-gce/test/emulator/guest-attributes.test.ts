import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type GceEmulator,
  type InstanceMetadataChange,
  startGceEmulator,
} from '../../src/emulator/index.js';
import { type ComputeClients, clientError, computeClients, done } from './clients.js';
import { networkAndSubnet, OURS, PROJECT, REGION } from './fixtures.js';

// Instance metadata and guest attributes through the real clients: what a provider uses to talk
// to software on a VM it cannot reach, with the test playing that software through the hooks.

const ZONE = `${REGION}-b`;
const where = { project: PROJECT, zone: ZONE, instance: 'vm' };
const path = `projects/${PROJECT}/zones/${ZONE}/instances/vm`;

describe('instance metadata and guest attributes', () => {
  let emulator: GceEmulator;
  let c: ComputeClients;

  beforeAll(async () => {
    emulator = await startGceEmulator({ latencyScale: 0.002, checkResponses: true });
    c = computeClients(emulator);
    await networkAndSubnet(c);
    await done(
      c,
      c.instances.insert({
        project: PROJECT,
        zone: ZONE,
        instanceResource: {
          name: 'vm',
          machineType: `zones/${ZONE}/machineTypes/e2-small`,
          labels: OURS,
          disks: [{ boot: true, autoDelete: true, initializeParams: { diskSizeGb: '10' } }],
          networkInterfaces: [{ subnetwork: `regions/${REGION}/subnetworks/demo-nodes` }],
          metadata: { items: [{ key: 'user-data', value: '{}' }] },
        },
      }),
    );
  });

  afterAll(async () => {
    await c.close();
    await emulator.close();
  });

  it('sets metadata only with the current fingerprint, and tells the VM after answering', async () => {
    const seen: InstanceMetadataChange[] = [];
    const stop = emulator.onInstanceMetadata((change) => seen.push(change));
    const [before] = await c.instances.get(where);
    const fingerprint = before.metadata?.fingerprint ?? '';
    expect(fingerprint).not.toBe('');

    const stale = await clientError(
      c.instances.setMetadata({
        ...where,
        metadataResource: { fingerprint: 'c3RhbGU=', items: [{ key: 'a', value: 'b' }] },
      }),
    );
    expect(stale.httpStatus ?? stale.code).toBeDefined();
    expect(stale.message).toMatch(/fingerprint/);
    expect(seen).toEqual([]);

    await done(
      c,
      c.instances.setMetadata({
        ...where,
        metadataResource: {
          fingerprint,
          items: [
            { key: 'user-data', value: '{}' },
            { key: 'enable-guest-attributes', value: 'TRUE' },
            { key: 'hakoc-etcd-leave', value: 'request-1' },
          ],
        },
      }),
    );
    const [after] = await c.instances.get(where);
    expect(after.metadata?.fingerprint).not.toBe(fingerprint);
    expect(after.metadata?.items?.map((i) => i.key)).toEqual([
      'user-data',
      'enable-guest-attributes',
      'hakoc-etcd-leave',
    ]);
    await new Promise((resolve) => setImmediate(resolve));
    stop();
    expect(seen).toEqual([
      {
        path,
        items: {
          'user-data': '{}',
          'enable-guest-attributes': 'TRUE',
          'hakoc-etcd-leave': 'request-1',
        },
      },
    ]);
  });

  it('answers guest attributes the VM wrote, by key or by namespace, and 404 for none', async () => {
    const missing = await clientError(
      c.instances.getGuestAttributes({ ...where, queryPath: 'hakoc/' }, { retry: null }),
    );
    expect(missing.code).toBe(5);

    emulator.writeGuestAttribute(path, 'hakoc/etcd-left', 'request-1');
    emulator.writeGuestAttribute(path, 'other/key', 'x');
    const [byNamespace] = await c.instances.getGuestAttributes({ ...where, queryPath: 'hakoc/' });
    expect(
      byNamespace.queryValue?.items?.map(({ namespace, key, value }) => ({
        namespace,
        key,
        value,
      })),
    ).toEqual([{ namespace: 'hakoc', key: 'etcd-left', value: 'request-1' }]);
    const [byKey] = await c.instances.getGuestAttributes({
      ...where,
      variableKey: 'hakoc/etcd-left',
    });
    expect(byKey.variableValue).toBe('request-1');
    expect(
      (
        await clientError(
          c.instances.getGuestAttributes({ ...where, variableKey: 'hakoc/nope' }, { retry: null }),
        )
      ).code,
    ).toBe(5);
  });

  it('lets a VM write guest attributes only when its metadata enables them', async () => {
    await done(
      c,
      c.instances.insert({
        project: PROJECT,
        zone: ZONE,
        instanceResource: {
          name: 'closed',
          machineType: `zones/${ZONE}/machineTypes/e2-small`,
          labels: OURS,
          disks: [{ boot: true, autoDelete: true, initializeParams: { diskSizeGb: '10' } }],
          networkInterfaces: [{ subnetwork: `regions/${REGION}/subnetworks/demo-nodes` }],
        },
      }),
    );
    expect(() =>
      emulator.writeGuestAttribute(
        `projects/${PROJECT}/zones/${ZONE}/instances/closed`,
        'hakoc/etcd-left',
        'x',
      ),
    ).toThrow(/guest attributes are not enabled/);
    expect(() => emulator.writeGuestAttribute(`${path}-missing`, 'hakoc/etcd-left', 'x')).toThrow(
      /was not found/,
    );
  });
});
