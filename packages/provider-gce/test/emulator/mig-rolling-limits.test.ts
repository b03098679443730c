import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GceEmulator, startGceEmulator } from '../../src/emulator/index.js';
import { type ComputeClients, clientError, computeClients, done } from './clients.js';
import { networkAndSubnet, PROJECT, REGION, template } from './fixtures.js';

const ZONES = ['europe-west1-b', 'europe-west1-c', 'europe-west1-d'];

describe("a regional group's rolling limits, as GCE checks them", () => {
  let emulator: GceEmulator;
  let c: ComputeClients;
  beforeAll(async () => {
    emulator = await startGceEmulator({ latencyScale: 0.002, checkResponses: true });
    c = computeClients(emulator);
    await networkAndSubnet(c);
    await template(c, 'limits-v1');
  });
  afterAll(async () => {
    await c.close();
    await emulator.close();
  });

  const insert = (name: string, maxSurge: number, maxUnavailable: number) =>
    c.regionInstanceGroupManagers.insert({
      project: PROJECT,
      region: REGION,
      instanceGroupManagerResource: {
        name,
        baseInstanceName: name,
        instanceTemplate: 'global/instanceTemplates/limits-v1',
        targetSize: 0,
        distributionPolicy: { zones: ZONES.map((zone) => ({ zone: `zones/${zone}` })) },
        updatePolicy: {
          type: 'PROACTIVE',
          maxSurge: { fixed: maxSurge },
          maxUnavailable: { fixed: maxUnavailable },
        },
      },
    });

  it('takes a surge of one per zone with nothing unavailable (how hakoc rolls the control plane)', async () => {
    await done(c, insert('surge-per-zone', ZONES.length, 0));
    const [group] = await c.regionInstanceGroupManagers.get({
      project: PROJECT,
      region: REGION,
      instanceGroupManager: 'surge-per-zone',
    });
    expect(group.updatePolicy?.maxSurge?.fixed).toBe(3);
    expect(group.updatePolicy?.maxUnavailable?.fixed).toBe(0);
  });

  it('refuses a fixed surge or unavailability between 0 and the number of zones', async () => {
    const surge = await clientError(insert('surge-one', 1, 0));
    expect(surge.httpStatus).toBe(400);
    expect(surge.message).toContain('maxSurge');
    const unavailable = await clientError(insert('unavailable-two', 3, 2));
    expect(unavailable.httpStatus).toBe(400);
    expect(unavailable.message).toContain('maxUnavailable');
  });

  it('refuses a roll that could never move (both 0), on insert and on patch', async () => {
    expect((await clientError(insert('stuck', 0, 0))).httpStatus).toBe(400);
    await done(c, insert('patched', 3, 0));
    const patched = await clientError(
      c.regionInstanceGroupManagers.patch({
        project: PROJECT,
        region: REGION,
        instanceGroupManager: 'patched',
        instanceGroupManagerResource: {
          updatePolicy: { maxSurge: { fixed: 0 }, maxUnavailable: { fixed: 0 } },
        },
      }),
    );
    expect(patched.httpStatus).toBe(400);
  });
});
