import type { ClusterModel, Owner, PreflightResult, ProviderContext } from '@hakoc/core';
import { clusterFirewalls, ETCD_DATA_DISK_GB } from './desired.js';
import type { GceApi } from './gce-api.js';
import { gceFailure } from './gce-errors.js';
import { getOrUndefined } from './gce-resource-type.js';
import { labelFilter, labelsOfDescription, ownedBy } from './ownership.js';
import { autoscalerType } from './resources/autoscaler.js';
import { backendServiceType } from './resources/backend-service.js';
import { firewallType } from './resources/firewall.js';
import { healthCheckType } from './resources/health-check.js';
import { instanceGroupType } from './resources/instance-group.js';
import { instanceTemplateType } from './resources/instance-template.js';
import { networkType } from './resources/network.js';
import { subnetworkType } from './resources/subnetwork.js';

const SITE = { operation: 'preflight' as const };

function trimDot(name: string): string {
  return name.replace(/\.$/, '');
}

/** A quota the cluster needs room in, and how to count what the cluster already holds of it. */
interface QuotaNeed {
  readonly metric: string;
  readonly scope: 'region' | 'project';
  /** What the cluster takes at its base size. */
  readonly need: number;
  /** What of the metric's usage is the cluster's own (called only on a shortfall). */
  readonly ours: () => Promise<number>;
}

interface Quota {
  readonly metric?: string | null;
  readonly limit?: number | null;
  readonly usage?: number | null;
}

/**
 * Checks, before anything is read or changed, that the project and region exist, the zones are
 * the region's, the machine types exist in every zone they run in, the DNS zone exists and holds
 * the cluster domain, and the region's and project's quotas leave room for the cluster at its
 * base size. What the cluster already holds counts as available, so a re-plan of a cluster that
 * fits passes; it is counted only when a quota looks short, so a plan that fits pays nothing for
 * it. Every problem is reported in one error; a transient failure of a check call is thrown as
 * is, so the engine retries it.
 *
 * Quotas that hold the cluster at its base size but not with the workers at the autoscaler's
 * maximum are returned as warnings, not refused: the autoscaler may never grow that far, and
 * when it does GCE only stops it adding machines.
 */
export async function preflightCheck(
  api: GceApi,
  model: ClusterModel,
  ctx: ProviderContext,
): Promise<PreflightResult> {
  if (model.provider.name !== 'gce') return { warnings: [] };
  const { signal } = ctx;
  const { project, region, zones, dnsZone, internalLoadBalancer } = model.provider;
  const problems: string[] = [];
  const sets = Object.values(model.machineSets);
  const usedTypes = [...new Set(sets.map((set) => set.machineType))].sort();
  const usedZones = [...new Set(sets.flatMap((set) => set.zones))].sort();

  const [projectInfo, regionInfo, dnsInfo, typesByZone] = await Promise.all([
    getOrUndefined(api.call(SITE, signal, (c) => c.projects.get({ project }))),
    getOrUndefined(api.call(SITE, signal, (c) => c.regions.get({ project, region }))),
    getOrUndefined(
      api.call(SITE, signal, async (c) => (await c.dnsOf(project).zone(dnsZone).getMetadata())[0]),
    ),
    // One filtered list per zone, not one get per machine type and zone.
    Promise.all(
      usedZones.map(async (zone) => {
        const found = await getOrUndefined(
          api.call(SITE, signal, (c) =>
            c.machineTypes.list(
              {
                project,
                zone,
                filter: usedTypes.map((name) => `(name = "${name}")`).join(' OR '),
              },
              { autoPaginate: false },
            ),
          ),
        );
        return { zone, types: found?.[0] ?? [] };
      }),
    ),
  ]);

  if (projectInfo === undefined) {
    problems.push(`Project ${project} does not exist, or these credentials cannot see it.`);
  }
  const regionZones = new Set((regionInfo?.[0].zones ?? []).map((z) => z.split('/').pop() ?? ''));
  if (regionInfo === undefined) {
    if (projectInfo !== undefined) problems.push(`Region ${region} does not exist.`);
  } else {
    for (const zone of new Set([...zones, ...usedZones])) {
      if (!regionZones.has(zone)) problems.push(`Zone ${zone} is not a zone of region ${region}.`);
    }
  }

  if (dnsInfo === undefined) {
    problems.push(`Cloud DNS managed zone ${dnsZone} does not exist in project ${project}.`);
  } else {
    const zoneDomain = trimDot(String(dnsInfo.dnsName ?? ''));
    const domain = trimDot(model.domain);
    if (domain !== zoneDomain && !domain.endsWith(`.${zoneDomain}`)) {
      problems.push(
        `Cloud DNS zone ${dnsZone} holds ${zoneDomain}, which does not cover the cluster domain ${domain}.`,
      );
    }
  }

  const cpusOf = new Map<string, number>();
  for (const { zone, types } of typesByZone) {
    if (regionInfo !== undefined && !regionZones.has(zone)) continue; // reported above
    for (const type of types) cpusOf.set(type.name ?? '', type.guestCpus ?? 0);
    const here = new Set(types.map((type) => type.name));
    for (const set of sets) {
      if (set.zones.includes(zone) && !here.has(set.machineType)) {
        problems.push(`Machine type ${set.machineType} (${set.name}) does not exist in ${zone}.`);
      }
    }
  }

  const workers = model.machineSets.workers;
  const owned = ownedCounter(api, ctx);
  const needsAt = (workerCount: number) =>
    quotaNeeds(api, model, owned, cpusOf, internalLoadBalancer, workerCount);
  const quotas = {
    region: regionInfo?.[0].quotas ?? [],
    project: projectInfo?.[0].quotas ?? [],
  };
  const where = (need: QuotaNeed) =>
    need.scope === 'region' ? `in ${region}` : `in project ${project}`;
  /** How much of the quota is free to the cluster, when that is less than `need` asks. */
  const shortOf = async (need: QuotaNeed) => {
    const quota: Quota | undefined = quotas[need.scope].find((q) => q.metric === need.metric);
    if (quota?.limit === undefined || quota.limit === null || need.need === 0) return undefined;
    const free = quota.limit - (quota.usage ?? 0);
    if (need.need <= free) return undefined;
    const available = free + (await need.ours());
    return need.need <= available ? undefined : { available, limit: quota.limit };
  };

  const needs = needsAt(workers.count);
  const shortfalls = await Promise.all(
    needs.map(async (need) => {
      const short = await shortOf(need);
      return (
        short &&
        `Quota ${need.metric} ${where(need)}: the cluster needs ${need.need}, ${short.available} available (limit ${short.limit}).`
      );
    }),
  );
  problems.push(...shortfalls.flatMap((s) => s ?? []));

  if (problems.length > 0) {
    throw gceFailure(
      `GCE preflight found ${problems.length} problem(s):\n  - ${problems.join('\n  - ')}`,
      SITE,
      'invalid',
      'Fix these in the spec or the project (quota increases are requested in the Cloud console).',
    );
  }

  const max = workers.autoscaling?.max ?? workers.count;
  if (max <= workers.count) return { warnings: [] };
  const warnings = await Promise.all(
    needsAt(max).map(async (need, index) => {
      // Only what grows with the workers can newly run short at their maximum.
      if (need.need <= (needs[index]?.need ?? 0)) return undefined;
      const short = await shortOf(need);
      return (
        short &&
        `Quota ${need.metric} ${where(need)} holds the cluster with ${workers.count} workers but not the autoscaler's maximum of ${max}: that needs ${need.need}, ${short.available} available (limit ${short.limit}). The autoscaler stops adding workers there; request an increase or lower spec.workers.max.`
      );
    }),
  );
  return { warnings: warnings.flatMap((w) => w ?? []) };
}

/**
 * What the cluster takes of each quota GCE enforces on what hakoc creates, with `workerCount`
 * workers (the others at their fixed counts).
 */
function quotaNeeds(
  api: GceApi,
  model: ClusterModel,
  owned: OwnedCounter,
  cpusOf: ReadonlyMap<string, number>,
  internalLoadBalancer: boolean,
  workerCount: number,
): QuotaNeed[] {
  const { machineSets } = model;
  const sets = Object.values(machineSets).map((set) => ({
    ...set,
    count: set === machineSets.workers ? workerCount : set.count,
  }));
  const machines = sets.reduce((n, set) => n + set.count, 0);
  const region = (metric: string, need: number, ours: () => Promise<number>): QuotaNeed => ({
    metric,
    scope: 'region',
    need,
    ours,
  });
  const global = (metric: string, need: number, ours: () => Promise<number>): QuotaNeed => ({
    metric,
    scope: 'project',
    need,
    ours,
  });
  return [
    region(
      'CPUS',
      sets.reduce((n, set) => n + set.count * (cpusOf.get(set.machineType) ?? 0), 0),
      async () =>
        (await owned.instances()).reduce((n, i) => n + (cpusOf.get(i.machineType) ?? 0), 0),
    ),
    region('INSTANCES', machines, async () => (await owned.instances()).length),
    // Every machine has an ephemeral external IP; an external load balancer holds one more.
    region(
      'IN_USE_ADDRESSES',
      machines + (internalLoadBalancer ? 0 : 1),
      async () =>
        (await owned.instances()).reduce((n, i) => n + i.externalIps, 0) +
        (await owned.addresses()).filter((a) => a === 'EXTERNAL').length,
    ),
    region(
      'STATIC_ADDRESSES',
      internalLoadBalancer ? 0 : 1,
      async () => (await owned.addresses()).filter((a) => a === 'EXTERNAL').length,
    ),
    region(
      'INTERNAL_ADDRESSES',
      internalLoadBalancer ? 1 : 0,
      async () => (await owned.addresses()).filter((a) => a === 'INTERNAL').length,
    ),
    // Boot disks are pd-balanced and etcd data disks pd-ssd: both count as SSD.
    region(
      'SSD_TOTAL_GB',
      sets.reduce((n, set) => n + set.count * set.diskSizeGb, 0) +
        machineSets.etcd.count * ETCD_DATA_DISK_GB,
      owned.ssdGb,
    ),
    region('REGIONAL_INSTANCE_GROUP_MANAGERS', machineSets.etcd.count + 2, () =>
      owned
        .ofType(instanceGroupType(api))
        .then(async (groups) => groups + (await owned.etcdGroups())),
    ),
    region('REGIONAL_AUTOSCALERS', machineSets.workers.autoscaling === undefined ? 0 : 1, () =>
      owned.ofType(autoscalerType(api)),
    ),
    global('NETWORKS', 1, () => owned.ofType(networkType(api))),
    global('SUBNETWORKS', 1, () => owned.ofType(subnetworkType(api))),
    global('FIREWALLS', clusterFirewalls(model).length, () => owned.ofType(firewallType(api))),
    global('INSTANCE_TEMPLATES', 3, () => owned.ofType(instanceTemplateType(api))),
    // The control plane's and the workers' regional checks.
    global('HEALTH_CHECKS', 2, () => owned.ofType(healthCheckType(api))),
    global('BACKEND_SERVICES', 1, () => owned.ofType(backendServiceType(api))),
  ];
}

interface OwnedInstance {
  readonly machineType: string;
  readonly externalIps: number;
}

type OwnedCounter = ReturnType<typeof ownedCounter>;

/** Counts what the cluster already holds, each listing made at most once. */
function ownedCounter(api: GceApi, ctx: ProviderContext) {
  const { signal, owner } = ctx;
  const { project, region } = api;
  const once = <T>(load: () => Promise<T>): (() => Promise<T>) => {
    let loaded: Promise<T> | undefined;
    return () => {
      loaded ??= load();
      return loaded;
    };
  };
  const instances = once(() =>
    api.call(SITE, signal, async (c) => {
      const found: OwnedInstance[] = [];
      // Async iteration pages by itself; google-gax warns unless auto-pagination is off.
      const pages = c.instances.aggregatedListAsync(
        { project, filter: labelFilter(owner) },
        { autoPaginate: false },
      );
      for await (const [, scoped] of pages) {
        for (const instance of scoped.instances ?? []) {
          found.push({
            machineType: instance.machineType?.split('/').pop() ?? '',
            externalIps: (instance.networkInterfaces ?? []).reduce(
              (n, nic) => n + (nic.accessConfigs?.length ?? 0),
              0,
            ),
          });
        }
      }
      return found;
    }),
  );
  const addresses = once(async () => {
    const [items] = await api.call(SITE, signal, (c) =>
      c.addresses.list({ project, region, filter: labelFilter(owner) }),
    );
    return items.map((a) => (a.addressType === 'INTERNAL' ? 'INTERNAL' : 'EXTERNAL'));
  });
  const ssdGb = once(() =>
    api.call(SITE, signal, async (c) => {
      let total = 0;
      const pages = c.disks.aggregatedListAsync(
        { project, filter: labelFilter(owner) },
        { autoPaginate: false },
      );
      for await (const [, scoped] of pages) {
        for (const disk of scoped.disks ?? []) {
          if (!(disk.type ?? '').endsWith('/pd-standard')) total += Number(disk.sizeGb ?? 0);
        }
      }
      return total;
    }),
  );
  const etcdGroups = once(async () => {
    const [items] = await api.call(SITE, signal, (c) =>
      c.regionInstanceGroupManagers.list({ project, region }),
    );
    return items.filter((group) => {
      const labels = labelsOfDescription(group.description);
      return ownedBy(labels, owner) && labels['hakoc-role'] === 'etcd';
    }).length;
  });
  return {
    instances,
    addresses,
    ssdGb,
    etcdGroups,
    async ofType(type: {
      list(ctx: ProviderContext, owner: Owner): Promise<readonly unknown[]>;
    }): Promise<number> {
      return (await type.list(ctx, owner)).length;
    },
  };
}
