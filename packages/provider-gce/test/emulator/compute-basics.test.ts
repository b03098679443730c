import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GceEmulator, startGceEmulator } from '../../src/emulator/index.js';
import {
  type ComputeClients,
  clientError,
  computeClients,
  done,
  requestId,
  started,
  waitDone,
} from './clients.js';
import { networkAndSubnet, OURS, PROJECT, REGION, template } from './fixtures.js';

describe('compute basics through the real clients', () => {
  let emulator: GceEmulator;
  let c: ComputeClients;

  beforeAll(async () => {
    emulator = await startGceEmulator({ latencyScale: 0.002, checkResponses: true });
    c = computeClients(emulator);
    await networkAndSubnet(c);
  });

  afterAll(async () => {
    await c.close();
    await emulator.close();
  });

  it('inserts, waits, gets and lists networks and subnetworks with GCE output fields', async () => {
    const [network] = await c.networks.get({ project: PROJECT, network: 'demo' });
    expect(network).toMatchObject({
      kind: 'compute#network',
      name: 'demo',
      autoCreateSubnetworks: false,
      selfLink: `https://www.googleapis.com/compute/v1/projects/${PROJECT}/global/networks/demo`,
    });
    expect(network.id).toMatch(/^[1-9]\d{18}$/);
    expect(network.creationTimestamp).toMatch(/^\d{4}-\d\d-\d\dT/);
    const [subnets] = await c.subnetworks.list({ project: PROJECT, region: REGION });
    expect(subnets.map((s) => s.name)).toEqual(['demo-nodes']);
    expect(subnets[0]).toMatchObject({ gatewayAddress: '10.10.0.1', network: network.selfLink });
    expect(subnets[0]?.fingerprint).toBeTruthy();
  });

  it('answers an operation that is still running when wait times out, then DONE', async () => {
    const slow = await startGceEmulator({ latencyScale: 0.02, waitTimeoutMs: 20 });
    const s = computeClients(slow);
    try {
      const op = await started(
        s.networks.insert({ project: PROJECT, networkResource: { name: 'slow' } }),
      );
      expect(op.status).toBe('RUNNING');
      const [afterWait] = await s.globalOperations.wait({
        project: PROJECT,
        operation: op.name ?? '',
      });
      expect(afterWait.status).toBe('RUNNING');
      const finished = await waitDone(s, op, 50);
      expect(finished).toMatchObject({ status: 'DONE', progress: 100, operationType: 'insert' });
      expect(finished.endTime).toBeTruthy();
    } finally {
      await s.close();
      await slow.close();
    }
  });

  it('lists by label filter and pages with maxResults/pageToken', async () => {
    for (const [i, name] of ['api-a', 'api-b', 'other'].entries()) {
      await done(
        c,
        c.addresses.insert({
          project: PROJECT,
          region: REGION,
          requestId: requestId(100 + i),
          addressResource: { name, labels: name === 'other' ? { 'hakoc-cluster': 'else' } : OURS },
        }),
      );
    }
    const [ours] = await c.addresses.list({
      project: PROJECT,
      region: REGION,
      filter: 'labels.hakoc-cluster = demo',
    });
    expect(ours.map((a) => a.name)).toEqual(['api-a', 'api-b']);
    expect(ours[0]).toMatchObject({
      kind: 'compute#address',
      status: 'RESERVED',
      addressType: 'EXTERNAL',
    });
    expect(ours[0]?.labelFingerprint).toBeTruthy();
    const [both] = await c.addresses.list({
      project: PROJECT,
      region: REGION,
      filter: '(labels.hakoc-cluster = demo) (name != api-a)',
    });
    expect(both.map((a) => a.name)).toEqual(['api-b']);
    const [page1, next, raw] = await c.addresses.list(
      { project: PROJECT, region: REGION, maxResults: 2 },
      { autoPaginate: false },
    );
    expect(page1.map((a) => a.name)).toEqual(['api-a', 'api-b']);
    expect(raw?.nextPageToken).toBeTruthy();
    const [page2] = await c.addresses.list(
      { project: PROJECT, region: REGION, maxResults: 2, pageToken: next?.pageToken ?? '' },
      { autoPaginate: false },
    );
    expect(page2.map((a) => a.name)).toEqual(['other']);
  });

  it('creates an instance with its disks, IP and labels; filters instances by label', async () => {
    await done(
      c,
      c.instances.insert({
        project: PROJECT,
        zone: `${REGION}-b`,
        instanceResource: {
          name: 'bastion',
          machineType: `zones/${REGION}-b/machineTypes/e2-small`,
          labels: OURS,
          disks: [{ boot: true, autoDelete: true, initializeParams: { diskSizeGb: '10' } }],
          networkInterfaces: [
            { subnetwork: `regions/${REGION}/subnetworks/demo-nodes`, accessConfigs: [{}] },
          ],
        },
      }),
    );
    const [instance] = await c.instances.get({
      project: PROJECT,
      zone: `${REGION}-b`,
      instance: 'bastion',
    });
    expect(instance.status).toBe('RUNNING');
    expect(instance.networkInterfaces?.[0]?.networkIP).toBe('10.10.0.2');
    expect(instance.networkInterfaces?.[0]?.accessConfigs?.[0]?.natIP).toMatch(/^34\./);
    const [disk] = await c.disks.get({ project: PROJECT, zone: `${REGION}-b`, disk: 'bastion' });
    expect(disk.users).toEqual([instance.selfLink]);
    const [found] = await c.instances.list({
      project: PROJECT,
      zone: `${REGION}-b`,
      filter: 'labels.hakoc-managed = true',
    });
    expect(found.map((i) => i.name)).toEqual(['bastion']);
    const deleteDisk = await clientError(
      c.disks.delete({ project: PROJECT, zone: `${REGION}-b`, disk: 'bastion' }),
    );
    expect(deleteDisk.reason).toBe('resourceInUseByAnotherResource');
  });

  it('rejects a body with an unknown field with GCE 400 shape', async () => {
    const response = await fetch(`${emulator.url}/compute/v1/projects/${PROJECT}/global/networks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'typo', autoCreateSubnetwork: false }),
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as {
      error: { code: number; status: string; errors: Array<{ reason: string }>; message: string };
    };
    expect(body.error.code).toBe(400);
    expect(body.error.status).toBe('INVALID_ARGUMENT');
    expect(body.error.errors[0]?.reason).toBe('invalid');
    expect(body.error.message).toContain('Unknown name "autoCreateSubnetwork"');
    const nested = await fetch(
      `${emulator.url}/compute/v1/projects/${PROJECT}/regions/${REGION}/instanceGroupManagers`,
      {
        method: 'POST',
        body: JSON.stringify({ name: 'x', updatePolicy: { tpye: 'PROACTIVE' } }),
      },
    );
    expect(((await nested.json()) as { error: { message: string } }).error.message).toContain(
      "at 'instance_group_manager_resource.update_policy'",
    );
  });

  it('surfaces 400s to the client: a bad enum value, a bad requestId', async () => {
    const badEnum = await clientError(
      c.firewalls.insert({
        project: PROJECT,
        firewallResource: {
          name: 'bad',
          network: 'global/networks/demo',
          direction: 'SIDEWAYS',
          allowed: [{ IPProtocol: 'tcp' }],
        },
      }),
    );
    expect(badEnum).toMatchObject({ code: 3, reason: 'invalid' });
    expect(badEnum.message).toContain("'resource.direction': 'SIDEWAYS'");
    const badId = await clientError(
      c.networks.insert({
        project: PROJECT,
        requestId: 'not-a-uuid',
        networkResource: { name: 'x' },
      }),
    );
    expect(badId.code).toBe(3);
    expect(badId.message).toContain('valid UUID');
  });

  it('answers a duplicate insert with 409 ALREADY_EXISTS and a missing one with 404', async () => {
    const duplicate = await clientError(
      c.networks.insert({ project: PROJECT, networkResource: { name: 'demo' } }),
    );
    expect(duplicate).toMatchObject({ code: 6, reason: 'alreadyExists' });
    const missing = await clientError(
      c.networks.get({ project: PROJECT, network: 'nope' }, { retry: null }),
    );
    expect(missing).toMatchObject({ code: 5, reason: 'notFound' });
    const badRegion = await clientError(c.regions.get({ project: PROJECT, region: 'mars-north1' }));
    expect(badRegion.code).toBe(5);
  });

  it('returns the same operation for the same requestId instead of inserting twice', async () => {
    const id = requestId(7);
    emulator.clearLog();
    const insert = () =>
      started(
        c.firewalls.insert({
          project: PROJECT,
          requestId: id,
          firewallResource: {
            name: 'allow-ssh',
            network: 'global/networks/demo',
            allowed: [{ IPProtocol: 'tcp', ports: ['22'] }],
            sourceRanges: ['10.0.0.0/8'],
          },
        }),
      );
    const first = await insert();
    const second = await insert();
    expect(second.name).toBe(first.name);
    await waitDone(c, first);
    const third = await insert();
    expect(third).toMatchObject({ name: first.name, status: 'DONE' });
    const [rules] = await c.firewalls.list({ project: PROJECT });
    expect(rules.filter((r) => r.name === 'allow-ssh')).toHaveLength(1);
    expect(emulator.countCalls({ method: 'POST', pathPattern: /\/global\/firewalls$/ })).toBe(3);
  });

  it('refuses to delete a network still used by a subnetwork', async () => {
    const error = await clientError(c.networks.delete({ project: PROJECT, network: 'demo' }));
    expect(error.reason).toBe('resourceInUseByAnotherResource');
    expect(error.message).toContain('subnetworks/demo-nodes');
  });

  it('knows real regions, zones and machine types, and reports quotas', async () => {
    const [region] = await c.regions.get({ project: PROJECT, region: REGION });
    expect(region.zones?.map((z) => z.split('/').pop())).toEqual([
      'europe-west1-b',
      'europe-west1-c',
      'europe-west1-d',
    ]);
    const cpus = region.quotas?.find((q) => q.metric === 'CPUS');
    expect(cpus).toMatchObject({ limit: 24, usage: 2 });
    const [type] = await c.machineTypes.get({
      project: PROJECT,
      zone: 'us-central1-f',
      machineType: 'n2-standard-8',
    });
    expect(type).toMatchObject({ guestCpus: 8, memoryMb: 32768, zone: 'us-central1-f' });
    const [project] = await c.projects.get({ project: PROJECT });
    expect(project.quotas?.find((q) => q.metric === 'NETWORKS')).toMatchObject({ usage: 1 });
  });

  it('keeps instance templates immutable and refuses an unknown machine type', async () => {
    await template(c, 'workers-v1');
    const [tpl] = await c.instanceTemplates.get({
      project: PROJECT,
      instanceTemplate: 'workers-v1',
    });
    expect(tpl.properties?.labels).toEqual(OURS);
    const bad = await clientError(
      c.instanceTemplates.insert({
        project: PROJECT,
        instanceTemplateResource: {
          name: 'bad',
          properties: { machineType: 'e9-huge', disks: [{ boot: true }] },
        },
      }),
    );
    expect(bad).toMatchObject({ code: 3, reason: 'invalid' });
  });
});
