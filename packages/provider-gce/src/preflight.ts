import type { ClusterModel, ProviderContext } from '@hakoc/core';
import type { GceApi } from './gce-api.js';
import { gceFailure } from './gce-errors.js';
import { getOrUndefined } from './gce-resource-type.js';
import { labelFilter } from './ownership.js';

const SITE = { operation: 'preflight' as const };

function trimDot(name: string): string {
  return name.replace(/\.$/, '');
}

/** What the cluster needs of the region's quotas when it runs at its base size. */
interface Needs {
  readonly CPUS: number;
  readonly INSTANCES: number;
  readonly IN_USE_ADDRESSES: number;
}

/**
 * Checks, before anything is read or changed, that the project and region exist, the zones are
 * the region's, the machine types exist, the DNS zone exists and holds the cluster domain, and
 * the region's quotas leave room for the cluster (counting what the cluster already uses as
 * available). Every problem is reported in one error; a transient failure of a check call is
 * thrown as is, so the engine retries it.
 */
export async function preflightCheck(
  api: GceApi,
  model: ClusterModel,
  ctx: ProviderContext,
): Promise<void> {
  if (model.provider.name !== 'gce') return;
  const { signal } = ctx;
  const { project, region, zones, dnsZone } = model.provider;
  const problems: string[] = [];
  const sets = Object.values(model.machineSets);

  const [regionInfo, dnsInfo, ownInstances] = await Promise.all([
    getOrUndefined(api.call(SITE, signal, (c) => c.regions.get({ project, region }))),
    getOrUndefined(
      api.call(SITE, signal, async (c) => (await c.dns.zone(dnsZone).getMetadata())[0]),
    ),
    api.call(SITE, signal, async (c) => {
      const found: { machineType: string; externalIps: number }[] = [];
      // Async iteration pages by itself; google-gax warns unless auto-pagination is off.
      const pages = c.instances.aggregatedListAsync(
        { project, filter: labelFilter(ctx.owner) },
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
  ]);

  if (regionInfo === undefined) {
    problems.push(
      `Region ${region} does not exist in project ${project} (or the project does not).`,
    );
  } else {
    const regionZones = new Set((regionInfo[0].zones ?? []).map((z) => z.split('/').pop() ?? ''));
    for (const zone of zones) {
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
  const probeZone = zones[0] ?? '';
  await Promise.all(
    [...new Set(sets.map((set) => set.machineType))].map(async (machineType) => {
      const found = await getOrUndefined(
        api.call(SITE, signal, (c) =>
          c.machineTypes.get({ project, zone: probeZone, machineType }),
        ),
      );
      if (found === undefined)
        problems.push(`Machine type ${machineType} does not exist in ${probeZone}.`);
      else cpusOf.set(machineType, found[0].guestCpus ?? 0);
    }),
  );

  if (regionInfo !== undefined) {
    const needs: Needs = {
      CPUS: sets.reduce((n, set) => n + set.count * (cpusOf.get(set.machineType) ?? 0), 0),
      INSTANCES: sets.reduce((n, set) => n + set.count, 0),
      IN_USE_ADDRESSES:
        sets.reduce((n, set) => n + set.count, 0) + (model.provider.internalLoadBalancer ? 0 : 1),
    };
    const ours: Needs = {
      CPUS: ownInstances.reduce((n, i) => n + (cpusOf.get(i.machineType) ?? 0), 0),
      INSTANCES: ownInstances.length,
      IN_USE_ADDRESSES: ownInstances.reduce((n, i) => n + i.externalIps, 0),
    };
    for (const metric of Object.keys(needs) as (keyof Needs)[]) {
      const quota = regionInfo[0].quotas?.find((q) => q.metric === metric);
      if (quota?.limit === undefined || quota.limit === null) continue;
      const free = quota.limit - (quota.usage ?? 0) + ours[metric];
      if (needs[metric] > free) {
        problems.push(
          `Quota ${metric} in ${region}: the cluster needs ${needs[metric]}, ${free} available (limit ${quota.limit}).`,
        );
      }
    }
  }

  if (problems.length > 0) {
    throw gceFailure(
      `GCE preflight found ${problems.length} problem(s):\n  - ${problems.join('\n  - ')}`,
      SITE,
      'invalid',
      'Fix these in the spec or the project (quota increases are requested in the Cloud console).',
    );
  }
}
