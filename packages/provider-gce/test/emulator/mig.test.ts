import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GceEmulator, type JsonObject, startGceEmulator } from '../../src/emulator/index.js';
import { isJsonObject } from '../../src/emulator/json.js';
import { type ComputeClients, clientError, computeClients, done } from './clients.js';
import { networkAndSubnet, PROJECT, REGION, template } from './fixtures.js';

/** Polls the emulator's world (no API calls) until `check` holds; bounded in time. */
async function until(emulator: GceEmulator, check: () => boolean, ms = 5_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
    emulator.settle();
  }
}

function instancesOf(emulator: GceEmulator, prefix: string) {
  return emulator
    .resources(new RegExp(`^projects/${PROJECT}/zones/[^/]+/instances/${prefix}`))
    .map(({ path, resource }) => ({
      path,
      name: String(resource.name),
      zone: path.split('/')[3] ?? '',
      status: String(resource.status),
      resource,
    }));
}

/** nic0's internal IP of a stored instance. */
function ipOf(instance: JsonObject | undefined): string | undefined {
  const nics = instance?.networkInterfaces;
  const nic = Array.isArray(nics) ? nics[0] : undefined;
  return isJsonObject(nic) && typeof nic.networkIP === 'string' ? nic.networkIP : undefined;
}

/** The source of the disk attached under a device name. */
function diskOf(instance: JsonObject | undefined, device: string): string | undefined {
  const disks = Array.isArray(instance?.disks) ? instance.disks : [];
  const disk = disks.find((d) => isJsonObject(d) && d.deviceName === device);
  return isJsonObject(disk) && typeof disk.source === 'string' ? disk.source : undefined;
}

function running(emulator: GceEmulator, prefix: string) {
  return instancesOf(emulator, prefix).filter((i) => i.status === 'RUNNING');
}

describe('regional managed instance groups', () => {
  let emulator: GceEmulator;
  let c: ComputeClients;

  // One emulator and one set of clients for the file: building the clients is the slow part.
  // Each test uses its own names; quotas are raised so the tests' members fit together.
  beforeAll(async () => {
    emulator = await startGceEmulator({
      latencyScale: 0.002,
      checkResponses: true,
      quotas: { region: { CPUS: 1000, INSTANCES: 1000 } },
    });
    c = computeClients(emulator);
    await networkAndSubnet(c);
  });

  afterAll(async () => {
    await c.close();
    await emulator.close();
  });

  async function group(
    name: string,
    size: number,
    templateName: string,
    extra: Record<string, unknown> = {},
  ) {
    await done(
      c,
      c.regionInstanceGroupManagers.insert({
        project: PROJECT,
        region: REGION,
        instanceGroupManagerResource: {
          name,
          baseInstanceName: name,
          instanceTemplate: `global/instanceTemplates/${templateName}`,
          targetSize: size,
          ...extra,
        },
      }),
    );
  }

  it('creates and names members to the target size, spread over the zones, and resizes', async () => {
    await template(c, 'grow-v1');
    await group('grow', 3, 'grow-v1');
    await until(emulator, () => running(emulator, 'grow-').length === 3);
    const members = running(emulator, 'grow-');
    expect(members.every((m) => /^grow-[a-z0-9]{4}$/.test(m.name))).toBe(true);
    expect(new Set(members.map((m) => m.zone))).toEqual(
      new Set(['europe-west1-b', 'europe-west1-c', 'europe-west1-d']),
    );
    const [managed] = await c.regionInstanceGroupManagers.listManagedInstances({
      project: PROJECT,
      region: REGION,
      instanceGroupManager: 'grow',
    });
    expect(managed).toHaveLength(3);
    expect(managed[0]?.version?.instanceTemplate).toContain('/global/instanceTemplates/grow-v1');
    await done(
      c,
      c.regionInstanceGroupManagers.resize({
        project: PROJECT,
        region: REGION,
        instanceGroupManager: 'grow',
        size: 5,
      }),
    );
    await until(emulator, () => running(emulator, 'grow-').length === 5);
    const [mig] = await c.regionInstanceGroupManagers.get({
      project: PROJECT,
      region: REGION,
      instanceGroupManager: 'grow',
    });
    expect(mig).toMatchObject({ targetSize: 5, status: { isStable: true } });
    await done(
      c,
      c.regionInstanceGroupManagers.resize({
        project: PROJECT,
        region: REGION,
        instanceGroupManager: 'grow',
        size: 2,
      }),
    );
    await until(emulator, () => instancesOf(emulator, 'grow-').length === 2);
  });

  it('re-creates a member deleted from outside (a new name when the group is stateless)', async () => {
    await template(c, 'heal-v1');
    await group('heal', 2, 'heal-v1');
    await until(emulator, () => running(emulator, 'heal-').length === 2);
    const victim = running(emulator, 'heal-')[0];
    await done(
      c,
      c.instances.delete({
        project: PROJECT,
        zone: victim?.zone ?? '',
        instance: victim?.name ?? '',
      }),
    );
    await until(emulator, () => running(emulator, 'heal-').length === 2);
    expect(running(emulator, 'heal-').map((i) => i.name)).not.toContain(victim?.name);
  });

  it('re-creates a stateful member with the same name, internal IP and data disk', async () => {
    await template(c, 'etcd-v1', 'e2-medium', true);
    await group('etcd', 0, 'etcd-v1', {
      statefulPolicy: {
        preservedState: {
          disks: { 'etcd-data': { autoDelete: 'NEVER' } },
          internalIPs: { nic0: { autoDelete: 'NEVER' } },
        },
      },
      updatePolicy: {
        type: 'OPPORTUNISTIC',
        instanceRedistributionType: 'NONE',
        replacementMethod: 'RECREATE',
      },
      distributionPolicy: { zones: ['b', 'c', 'd'].map((z) => ({ zone: `zones/${REGION}-${z}` })) },
    });
    await done(
      c,
      c.regionInstanceGroupManagers.createInstances({
        project: PROJECT,
        region: REGION,
        instanceGroupManager: 'etcd',
        regionInstanceGroupManagersCreateInstancesRequestResource: {
          instances: ['etcd-0', 'etcd-1', 'etcd-2'].map((name) => ({ name })),
        },
      }),
    );
    await until(emulator, () => running(emulator, 'etcd-').length === 3);
    const before = running(emulator, 'etcd-').find((i) => i.name === 'etcd-1');
    const ip = ipOf(before?.resource);
    const dataDisk = diskOf(before?.resource, 'etcd-data');
    expect(ip).toMatch(/^10\.10\.0\./);
    expect(dataDisk).toBeTruthy();
    await done(
      c,
      c.instances.delete({ project: PROJECT, zone: before?.zone ?? '', instance: 'etcd-1' }),
    );
    await until(emulator, () => running(emulator, 'etcd-').length === 3);
    const after = running(emulator, 'etcd-').find((i) => i.name === 'etcd-1');
    expect(after?.zone).toBe(before?.zone);
    expect(after?.resource.id).not.toBe(before?.resource.id);
    expect(ipOf(after?.resource)).toBe(ip);
    expect(diskOf(after?.resource, 'etcd-data')).toBe(dataDisk);
    const [configs] = await c.regionInstanceGroupManagers.listManagedInstances({
      project: PROJECT,
      region: REGION,
      instanceGroupManager: 'etcd',
    });
    expect(
      configs.find((m) => m.name === 'etcd-1')?.preservedStateFromPolicy?.internalIPs?.nic0
        ?.ipAddress?.literal,
    ).toBe(ip);
  });

  it('refuses a stateful regional group that redistributes instances', async () => {
    await template(c, 'bad-v1', 'e2-medium', true);
    const error = await clientError(
      c.regionInstanceGroupManagers.insert({
        project: PROJECT,
        region: REGION,
        instanceGroupManagerResource: {
          name: 'etcd-bad',
          instanceTemplate: 'global/instanceTemplates/bad-v1',
          statefulPolicy: { preservedState: { disks: { 'etcd-data': { autoDelete: 'NEVER' } } } },
        },
      }),
    );
    expect(error).toMatchObject({ code: 3, reason: 'invalid' });
  });

  it('rolls members to a new template and then lets the old one be deleted', async () => {
    await template(c, 'roll-v1');
    await template(c, 'roll-v2', 'e2-standard-2');
    // GCE wants a regional group's fixed surge to be 0 or at least one per zone (three here).
    await group('roll', 4, 'roll-v1', {
      updatePolicy: { maxSurge: { fixed: 3 }, maxUnavailable: { fixed: 0 } },
    });
    await until(emulator, () => running(emulator, 'roll-').length === 4);
    const inUse = await clientError(
      c.instanceTemplates.delete({ project: PROJECT, instanceTemplate: 'roll-v1' }),
    );
    expect(inUse.reason).toBe('resourceInUseByAnotherResource');
    await done(
      c,
      c.regionInstanceGroupManagers.setInstanceTemplate({
        project: PROJECT,
        region: REGION,
        instanceGroupManager: 'roll',
        regionInstanceGroupManagersSetTemplateRequestResource: {
          instanceTemplate: 'global/instanceTemplates/roll-v2',
        },
      }),
    );
    await until(
      emulator,
      () => {
        const now = instancesOf(emulator, 'roll-');
        return (
          now.length === 4 &&
          now.every(
            (i) =>
              i.status === 'RUNNING' && String(i.resource.machineType).endsWith('/e2-standard-2'),
          )
        );
      },
      10_000,
    );
    const [mig] = await c.regionInstanceGroupManagers.get({
      project: PROJECT,
      region: REGION,
      instanceGroupManager: 'roll',
    });
    expect(mig.status).toMatchObject({ isStable: true, versionTarget: { isReached: true } });
    await done(c, c.instanceTemplates.delete({ project: PROJECT, instanceTemplate: 'roll-v1' }));
  });

  it('keeps an autoscaled group within min and max and follows CPU load', async () => {
    await template(c, 'auto-v1');
    await group('auto', 1, 'auto-v1');
    await done(
      c,
      c.regionAutoscalers.insert({
        project: PROJECT,
        region: REGION,
        autoscalerResource: {
          name: 'auto',
          target: `regions/${REGION}/instanceGroupManagers/auto`,
          autoscalingPolicy: {
            minNumReplicas: 2,
            maxNumReplicas: 5,
            cpuUtilization: { utilizationTarget: 0.5 },
          },
        },
      }),
    );
    await until(emulator, () => running(emulator, 'auto-').length === 2);
    emulator.setCpuLoad(PROJECT, REGION, 'auto', 1);
    await until(emulator, () => running(emulator, 'auto-').length === 4);
    emulator.setCpuLoad(PROJECT, REGION, 'auto', 1);
    await until(emulator, () => running(emulator, 'auto-').length === 5);
    const [scaler] = await c.regionAutoscalers.get({
      project: PROJECT,
      region: REGION,
      autoscaler: 'auto',
    });
    expect(scaler).toMatchObject({ recommendedSize: 5, status: 'ACTIVE' });
    await done(
      c,
      c.regionAutoscalers.patch({
        project: PROJECT,
        region: REGION,
        autoscaler: 'auto',
        autoscalerResource: { autoscalingPolicy: { minNumReplicas: 1, maxNumReplicas: 3 } },
      }),
    );
    await until(emulator, () => instancesOf(emulator, 'auto-').length === 3);
    const migDelete = await clientError(
      c.regionInstanceGroupManagers.delete({
        project: PROJECT,
        region: REGION,
        instanceGroupManager: 'auto',
      }),
    );
    expect(migDelete.reason).toBe('resourceInUseByAnotherResource');
    // The group's `status.autoscaler` names the autoscaler, but that output-only back-reference
    // does not hold it: GCE deletes the autoscaler first, and then the group it targeted.
    const [scaled] = await c.regionInstanceGroupManagers.get({
      project: PROJECT,
      region: REGION,
      instanceGroupManager: 'auto',
    });
    expect(scaled.status?.autoscaler).toContain('/autoscalers/auto');
    await done(
      c,
      c.regionAutoscalers.delete({ project: PROJECT, region: REGION, autoscaler: 'auto' }),
    );
    await done(
      c,
      c.regionInstanceGroupManagers.delete({
        project: PROJECT,
        region: REGION,
        instanceGroupManager: 'auto',
      }),
    );
    expect(instancesOf(emulator, 'auto-')).toHaveLength(0);
  });

  it('refuses to delete a template a group uses until the group is gone', async () => {
    await template(c, 'held-v1');
    await group('held', 0, 'held-v1');
    const refused = await clientError(
      c.instanceTemplates.delete({ project: PROJECT, instanceTemplate: 'held-v1' }),
    );
    expect(refused.reason).toBe('resourceInUseByAnotherResource');
    await done(
      c,
      c.regionInstanceGroupManagers.delete({
        project: PROJECT,
        region: REGION,
        instanceGroupManager: 'held',
      }),
    );
    await done(c, c.instanceTemplates.delete({ project: PROJECT, instanceTemplate: 'held-v1' }));
  });

  it("sets a stateful config's metadata on the member it creates, over the template's", async () => {
    await template(c, 'meta-v1');
    await group('meta', 0, 'meta-v1', {
      updatePolicy: { instanceRedistributionType: 'NONE' },
    });
    await done(
      c,
      c.regionInstanceGroupManagers.createInstances({
        project: PROJECT,
        region: REGION,
        instanceGroupManager: 'meta',
        regionInstanceGroupManagersCreateInstancesRequestResource: {
          instances: [
            {
              name: 'meta-0',
              preservedState: { metadata: { 'user-data': 'member-0', 'hakoc-member': 'meta-0' } },
            },
          ],
        },
      }),
    );
    await until(emulator, () => running(emulator, 'meta-').length === 1);
    const [member] = running(emulator, 'meta-');
    const [instance] = await c.instances.get({
      project: PROJECT,
      zone: member?.zone ?? '',
      instance: 'meta-0',
    });
    const items = instance.metadata?.items ?? [];
    const valuesOf = (key: string) => items.filter((i) => i.key === key).map((i) => i.value);
    expect(valuesOf('user-data')).toEqual(['member-0']);
    expect(valuesOf('hakoc-member')).toEqual(['meta-0']);
    expect(valuesOf('created-by')).toEqual([
      expect.stringContaining('/instanceGroupManagers/meta'),
    ]);
  });

  it('refuses to delete a health check a backend service uses, and the group the backend uses', async () => {
    await template(c, 'cp-v1');
    await done(
      c,
      c.regionHealthChecks.insert({
        project: PROJECT,
        region: REGION,
        healthCheckResource: {
          name: 'apiserver',
          type: 'HTTPS',
          httpsHealthCheck: { port: 6443, requestPath: '/readyz' },
        },
      }),
    );
    await group('cp', 1, 'cp-v1', {
      autoHealingPolicies: [
        { healthCheck: `regions/${REGION}/healthChecks/apiserver`, initialDelaySec: 300 },
      ],
    });
    await done(
      c,
      c.regionBackendServices.insert({
        project: PROJECT,
        region: REGION,
        backendServiceResource: {
          name: 'apiserver',
          loadBalancingScheme: 'EXTERNAL',
          protocol: 'TCP',
          healthChecks: [`regions/${REGION}/healthChecks/apiserver`],
          backends: [{ group: `regions/${REGION}/instanceGroups/cp` }],
        },
      }),
    );
    await done(
      c,
      c.addresses.insert({
        project: PROJECT,
        region: REGION,
        addressResource: { name: 'apiserver', labels: { 'hakoc-cluster': 'demo' } },
      }),
    );
    await done(
      c,
      c.forwardingRules.insert({
        project: PROJECT,
        region: REGION,
        forwardingRuleResource: {
          name: 'apiserver',
          IPProtocol: 'TCP',
          ports: ['6443'],
          IPAddress: `regions/${REGION}/addresses/apiserver`,
          backendService: `regions/${REGION}/backendServices/apiserver`,
          labels: { 'hakoc-cluster': 'demo' },
        },
      }),
    );
    const hc = await clientError(
      c.regionHealthChecks.delete({ project: PROJECT, region: REGION, healthCheck: 'apiserver' }),
    );
    expect(hc.reason).toBe('resourceInUseByAnotherResource');
    const backend = await clientError(
      c.regionBackendServices.delete({
        project: PROJECT,
        region: REGION,
        backendService: 'apiserver',
      }),
    );
    expect(backend.message).toContain('forwardingRules/apiserver');
    const address = await clientError(
      c.addresses.delete({ project: PROJECT, region: REGION, address: 'apiserver' }),
    );
    expect(address.reason).toBe('resourceInUseByAnotherResource');
    // The address lists the rule in its output-only `users`; that does not hold the rule.
    const [held] = await c.addresses.get({
      project: PROJECT,
      region: REGION,
      address: 'apiserver',
    });
    expect(held.users).toEqual([expect.stringContaining('/forwardingRules/apiserver')]);
    await done(
      c,
      c.forwardingRules.delete({ project: PROJECT, region: REGION, forwardingRule: 'apiserver' }),
    );
    await done(c, c.addresses.delete({ project: PROJECT, region: REGION, address: 'apiserver' }));
    await done(
      c,
      c.regionBackendServices.delete({
        project: PROJECT,
        region: REGION,
        backendService: 'apiserver',
      }),
    );
    await done(
      c,
      c.regionInstanceGroupManagers.delete({
        project: PROJECT,
        region: REGION,
        instanceGroupManager: 'cp',
      }),
    );
    await done(
      c,
      c.regionHealthChecks.delete({ project: PROJECT, region: REGION, healthCheck: 'apiserver' }),
    );
    expect(instancesOf(emulator, 'cp-')).toHaveLength(0);
  });
});
