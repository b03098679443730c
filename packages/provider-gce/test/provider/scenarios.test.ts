import { apply, destroy, plan } from '@hakoc/core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { GceProvider } from '../../src/index.js';
import { computeClients, done } from '../emulator/clients.js';
import { exampleModel, FAST_RETRY, type GceWorld, inputOf, startWorld } from './fixtures.js';

const PROJECT = 'my-project';

async function converge(world: GceWorld, provider: GceProvider, model = exampleModel()) {
  const planned = await plan(inputOf(model), provider, { owner: world.owner, retry: FAST_RETRY });
  await apply(planned, { retry: FAST_RETRY, concurrency: 16 });
  return planned;
}

async function until(world: GceWorld, check: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
    world.emulator.settle();
  }
}

function instances(world: GceWorld, prefix: string) {
  return world.emulator
    .resources(new RegExp(`^projects/${PROJECT}/zones/[^/]+/instances/${prefix}`))
    .map(({ path, resource }) => ({ path, resource }));
}

describe('the example cluster over its life', () => {
  // One emulator for the file, emptied before each test: its clients are made once.
  let world: GceWorld;
  beforeAll(async () => {
    world = await startWorld();
  });
  beforeEach(async () => {
    await world.reset();
  });
  afterAll(async () => {
    await world.close();
  });

  it('rolls the workers to a new template when the machine type changes, then deletes the old one', async () => {
    const provider = world.provider();
    await converge(world, provider);
    const bigger = exampleModel((m) => {
      m.machineSets.workers.machineType = 'e2-standard-8';
    });
    const changed = await plan(inputOf(bigger), provider, {
      owner: world.owner,
      retry: FAST_RETRY,
    });
    const changes = changed.steps.filter((s) => s.action !== 'noop');
    expect(changes.map((s) => `${s.action} ${s.type}`).sort()).toEqual([
      'create gce.instanceTemplate',
      'delete gce.instanceTemplate',
      'update gce.instanceGroup',
    ]);
    const created = changes.find((s) => s.action === 'create')?.name ?? '';
    const deleted = changes.find((s) => s.action === 'delete')?.name ?? '';
    expect(created).toMatch(/^demo-worker-[0-9a-f]{8}$/);
    await apply(changed, { retry: FAST_RETRY, concurrency: 16 });
    expect(
      world.emulator.get(`projects/${PROJECT}/global/instanceTemplates/${deleted}`),
    ).toBeUndefined();
    await until(world, () => {
      const workers = instances(world, 'demo-worker-');
      return (
        workers.length === 2 &&
        workers.every(({ resource }) => String(resource.machineType).endsWith('/e2-standard-8'))
      );
    });
    const again = await plan(inputOf(bigger), provider, { owner: world.owner, retry: FAST_RETRY });
    expect(again.summary.changes).toBe(0);
  });

  it('changes only the autoscaler when the workers maximum changes', async () => {
    const provider = world.provider();
    await converge(world, provider);
    const more = exampleModel((m) => {
      if (m.machineSets.workers.autoscaling) m.machineSets.workers.autoscaling.max = 20;
    });
    const changed = await plan(inputOf(more), provider, { owner: world.owner, retry: FAST_RETRY });
    expect(
      changed.steps.filter((s) => s.action !== 'noop').map((s) => `${s.action} ${s.id}`),
    ).toEqual(['update gce.autoscaler/demo-worker']);
  });

  it('gets a deleted etcd member back with its name, IP and disk, and plans no change', async () => {
    const provider = world.provider();
    await converge(world, provider);
    const [member] = instances(world, 'demo-etcd-0$');
    expect(member).toBeDefined();
    const zone = member?.path.split('/')[3] ?? '';
    const before = member?.resource ?? {};
    const nic = (r: Record<string, unknown>) =>
      (r.networkInterfaces as Array<{ networkIP: string }>)[0]?.networkIP;
    const dataDisk = (r: Record<string, unknown>) =>
      (r.disks as Array<{ deviceName: string; source: string }>).find(
        (d) => d.deviceName === 'etcd-data',
      )?.source;
    const clients = computeClients(world.emulator);
    await done(
      clients,
      clients.instances.delete({ project: PROJECT, zone, instance: 'demo-etcd-0' }),
    );
    await clients.close();
    await until(world, () => {
      const back = instances(world, 'demo-etcd-0$')[0]?.resource;
      return back !== undefined && back.status === 'RUNNING' && back.id !== before.id;
    });
    const after = instances(world, 'demo-etcd-0$')[0];
    expect(after?.path).toBe(member?.path);
    expect(nic(after?.resource ?? {})).toBe(nic(before));
    expect(nic(before)).toBe('10.240.15.253');
    expect(dataDisk(after?.resource ?? {})).toBe(dataDisk(before));
    const again = await plan(inputOf(exampleModel()), provider, {
      owner: world.owner,
      retry: FAST_RETRY,
    });
    expect(again.summary.changes).toBe(0);
  });

  it('puts the API behind an internal passthrough load balancer when the spec asks', async () => {
    const internal = exampleModel((m) => {
      if (m.provider.name === 'gce') m.provider.internalLoadBalancer = true;
    });
    const provider = world.provider(internal);
    const planned = await plan(inputOf(internal), provider, {
      owner: world.owner,
      retry: FAST_RETRY,
    });
    const { outputs } = await apply(planned, { retry: FAST_RETRY, concurrency: 16 });
    const region = `projects/${PROJECT}/regions/europe-west1`;
    const address = world.emulator.get(`${region}/addresses/demo-api-internal`);
    expect(address).toMatchObject({ addressType: 'INTERNAL' });
    expect(String(address?.subnetwork)).toMatch(/\/subnetworks\/demo-nodes$/);
    expect(String(address?.address)).toMatch(/^10\.240\./);
    expect(world.emulator.get(`${region}/addresses/demo-api`)).toBeUndefined();
    const rule = world.emulator.get(`${region}/forwardingRules/demo-api-internal`);
    expect(rule).toMatchObject({ loadBalancingScheme: 'INTERNAL', IPAddress: address?.address });
    expect(String(rule?.subnetwork)).toMatch(/\/subnetworks\/demo-nodes$/);
    expect(world.emulator.get(`${region}/backendServices/demo-api-internal`)).toMatchObject({
      loadBalancingScheme: 'INTERNAL',
    });
    expect(outputs).toMatchObject({ internalLoadBalancer: true, apiAddress: address?.address });
    const api = world.emulator
      .resources(/managedZones\/example-com\/rrsets\//)
      .map(({ resource }) => resource)
      .find((r) => r.name === 'api.k8s.example.com.' && r.type === 'A');
    expect(api?.rrdatas).toEqual([address?.address]);
    const again = await plan(inputOf(internal), provider, {
      owner: world.owner,
      retry: FAST_RETRY,
    });
    expect(again.summary.changes).toBe(0);
  });

  it('destroys everything of ours and leaves an unlabelled look-alike alone', async () => {
    const provider = world.provider();
    await converge(world, provider);
    const clients = computeClients(world.emulator);
    await done(
      clients,
      clients.regionHealthChecks.insert({
        project: PROJECT,
        region: 'europe-west1',
        healthCheckResource: {
          name: 'demo-worker-healthz-copy',
          type: 'TCP',
          tcpHealthCheck: { port: 22 },
        },
      }),
    );
    await clients.close();
    await destroy(world.owner, provider, { retry: FAST_RETRY, concurrency: 16 });
    // MIG instances go in the background.
    await until(world, () => instances(world, 'demo-').length === 0);
    const left = world.emulator
      .resources(new RegExp(`^projects/${PROJECT}/`))
      .filter(({ path }) => !path.includes('/operations/'))
      .map(({ path }) => path);
    expect(left).toEqual([
      `projects/${PROJECT}/regions/europe-west1/healthChecks/demo-worker-healthz-copy`,
    ]);
    const records = world.emulator
      .resources(/rrsets|resourceRecordSets|managedZones\/example-com\//)
      .map(({ resource }) => `${String(resource.type)} ${String(resource.name)}`);
    expect(records.filter((r) => r.startsWith('A ') || r.startsWith('TXT '))).toEqual([]);
  });
});
