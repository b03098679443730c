import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GceEmulator, startGceEmulator } from '../../src/emulator/index.js';
import {
  type ComputeClients,
  clientError,
  computeClients,
  done,
  started,
  waitDone,
} from './clients.js';
import { networkAndSubnet, PROJECT, REGION, template } from './fixtures.js';

describe('quotas and injected faults', () => {
  let emulator: GceEmulator;
  let c: ComputeClients;

  beforeAll(async () => {
    emulator = await startGceEmulator({
      latencyScale: 0.002,
      checkResponses: true,
      quotas: { region: { CPUS: 6 } },
    });
    c = computeClients(emulator);
    await networkAndSubnet(c);
  });

  afterAll(async () => {
    await c.close();
    await emulator.close();
  });

  function vm(name: string, machineType: string) {
    return c.instances.insert({
      project: PROJECT,
      zone: `${REGION}-c`,
      instanceResource: {
        name,
        machineType: `zones/${REGION}-c/machineTypes/${machineType}`,
        disks: [{ boot: true, initializeParams: { diskSizeGb: '10' } }],
        networkInterfaces: [{ subnetwork: `regions/${REGION}/subnetworks/demo-nodes` }],
      },
    });
  }

  it('fails an instance insert past the regional CPU quota with QUOTA_EXCEEDED', async () => {
    await done(c, vm('big', 'e2-standard-4'));
    const op = await waitDone(c, await started(vm('too-big', 'e2-standard-4')));
    expect(op.status).toBe('DONE');
    expect(op.error?.errors?.[0]).toMatchObject({ code: 'QUOTA_EXCEEDED' });
    expect(op.error?.errors?.[0]?.message).toContain("Quota 'CPUS' exceeded");
    expect(op.httpErrorStatusCode).toBe(403);
    const missing = await clientError(
      c.instances.get({ project: PROJECT, zone: `${REGION}-c`, instance: 'too-big' }),
    );
    expect(missing.code).toBe(5);
    const [region] = await c.regions.get({ project: PROJECT, region: REGION });
    expect(region.quotas?.find((q) => q.metric === 'CPUS')).toMatchObject({ limit: 6, usage: 4 });
  });

  it('lets a MIG grow only as far as the quota allows and reports why', async () => {
    await template(c, 'small-v1', 'e2-small');
    await done(
      c,
      c.regionInstanceGroupManagers.insert({
        project: PROJECT,
        region: REGION,
        instanceGroupManagerResource: {
          name: 'small',
          instanceTemplate: 'global/instanceTemplates/small-v1',
          targetSize: 3,
        },
      }),
    );
    emulator.settle();
    const [errors] = await c.regionInstanceGroupManagers.listErrors({
      project: PROJECT,
      region: REGION,
      instanceGroupManager: 'small',
    });
    expect(errors.length).toBeGreaterThan(0);
    expect(errors[0]?.error?.code).toBe('QUOTA_EXCEEDED');
    const members = emulator.resources(/\/instances\/small-/);
    expect(members).toHaveLength(1);
  });

  it('injects targeted faults: 429 rateLimitExceeded, 503, resourceNotReady and failed operations', async () => {
    emulator.setFaults({
      rules: [
        {
          method: 'GET',
          pathPattern: /\/global\/networks\/demo$/,
          error: 'rateLimitExceeded',
          times: 1,
        },
        { method: 'DELETE', pathPattern: /\/firewalls\//, error: 'resourceNotReady' },
        { method: 'POST', pathPattern: /\/global\/networks$/, error: 'operationError' },
        { method: 'GET', pathPattern: /\/regions\/europe-west1$/, error: 'backendError' },
      ],
    });
    const limited = await clientError(
      c.networks.get({ project: PROJECT, network: 'demo' }, { retry: null }),
    );
    expect(limited).toMatchObject({ code: 8, reason: 'rateLimitExceeded', httpStatus: 429 });
    const [again] = await c.networks.get({ project: PROJECT, network: 'demo' });
    expect(again.name).toBe('demo');
    const unavailable = await clientError(
      c.regions.get({ project: PROJECT, region: REGION }, { retry: null }),
    );
    expect(unavailable).toMatchObject({ code: 14, httpStatus: 503 });
    await done(
      c,
      c.firewalls.insert({
        project: PROJECT,
        firewallResource: {
          name: 'fw',
          network: 'global/networks/demo',
          allowed: [{ IPProtocol: 'udp', ports: ['8472'] }],
        },
      }),
    );
    const busy = await clientError(c.firewalls.delete({ project: PROJECT, firewall: 'fw' }));
    expect(busy.reason).toBe('resourceNotReady');
    const failed = await waitDone(
      c,
      await started(c.networks.insert({ project: PROJECT, networkResource: { name: 'doomed' } })),
    );
    expect(failed.error?.errors?.[0]?.code).toBe('INTERNAL_ERROR');
    expect(emulator.get(`projects/${PROJECT}/global/networks/doomed`)).toBeUndefined();
    expect(emulator.log.filter((e) => e.fault !== undefined).map((e) => e.fault)).toEqual([
      'rateLimitExceeded',
      'backendError',
      'resourceNotReady',
      'operationError',
    ]);
    emulator.setFaults({ rules: [] });
  });

  it('draws random faults from the seed: the same seed fails the same calls', async () => {
    async function run(seed: number): Promise<string[]> {
      const e = await startGceEmulator({ faultRate: 0.3, seed });
      try {
        const outcomes: string[] = [];
        for (let i = 0; i < 40; i++) {
          const method = i % 3 === 0 ? 'POST' : 'GET';
          const response = await fetch(
            `${e.url}/compute/v1/projects/${PROJECT}/global/networks${method === 'POST' ? '' : ''}`,
            {
              method,
              ...(method === 'POST' ? { body: JSON.stringify({ name: `n${i}` }) } : {}),
            },
          );
          const body = (await response.json()) as {
            error?: { errors: Array<{ reason: string }> };
            error_?: never;
          };
          outcomes.push(`${response.status}:${body.error?.errors[0]?.reason ?? ''}`);
        }
        return outcomes.map((o, i) => `${o}:${e.log[i]?.fault ?? '-'}`);
      } finally {
        await e.close();
      }
    }
    const first = await run(42);
    const second = await run(42);
    const other = await run(43);
    expect(second).toEqual(first);
    expect(other).not.toEqual(first);
    const faults = first.filter((o) => !o.endsWith(':-'));
    expect(faults.length).toBeGreaterThan(3);
    expect(faults.length).toBeLessThan(25);
    expect(first.some((o) => o.startsWith('429:rateLimitExceeded'))).toBe(true);
  });
});
