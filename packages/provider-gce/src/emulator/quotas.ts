import { machineType, zonesOf } from './catalog.js';
import { arrayField, isJsonObject, type JsonObject, numberField, stringField } from './json.js';
import type { OperationError } from './operations.js';
import { nameOf } from './paths.js';
import type { World } from './world.js';

/**
 * Regional and project quotas, with usage counted from the world itself (never kept as a
 * separate counter that could drift). Limits default to those of a new GCE project; tests lower
 * them to provoke `QUOTA_EXCEEDED`.
 */

/** Regional quota metrics the emulator enforces. */
export type RegionQuotaMetric =
  | 'CPUS'
  | 'INSTANCES'
  | 'IN_USE_ADDRESSES'
  | 'STATIC_ADDRESSES'
  | 'INTERNAL_ADDRESSES'
  | 'DISKS_TOTAL_GB'
  | 'SSD_TOTAL_GB'
  | 'REGIONAL_INSTANCE_GROUP_MANAGERS'
  | 'REGIONAL_AUTOSCALERS';

/** Project-wide quota metrics the emulator enforces. */
export type ProjectQuotaMetric =
  | 'NETWORKS'
  | 'SUBNETWORKS'
  | 'FIREWALLS'
  | 'INSTANCE_TEMPLATES'
  | 'HEALTH_CHECKS'
  | 'BACKEND_SERVICES'
  | 'STATIC_ADDRESSES';

/** Quota limits; any metric left out keeps its default. */
export interface QuotaLimits {
  /** Per-region limits, applied to every region. */
  readonly region?: Partial<Record<RegionQuotaMetric, number>>;
  /** Project-wide limits. */
  readonly project?: Partial<Record<ProjectQuotaMetric, number>>;
}

/** Defaults of a new project (Google's documented starting quotas, rounded). */
export const DEFAULT_REGION_QUOTAS: Readonly<Record<RegionQuotaMetric, number>> = {
  CPUS: 24,
  INSTANCES: 100,
  IN_USE_ADDRESSES: 8,
  STATIC_ADDRESSES: 8,
  INTERNAL_ADDRESSES: 200,
  DISKS_TOTAL_GB: 4096,
  SSD_TOTAL_GB: 500,
  REGIONAL_INSTANCE_GROUP_MANAGERS: 50,
  REGIONAL_AUTOSCALERS: 50,
};

/** Project-wide defaults of a new project. */
export const DEFAULT_PROJECT_QUOTAS: Readonly<Record<ProjectQuotaMetric, number>> = {
  NETWORKS: 15,
  SUBNETWORKS: 175,
  FIREWALLS: 200,
  INSTANCE_TEMPLATES: 100,
  HEALTH_CHECKS: 75,
  BACKEND_SERVICES: 75,
  STATIC_ADDRESSES: 8,
};

const REGION_METRICS = Object.keys(DEFAULT_REGION_QUOTAS) as RegionQuotaMetric[];
const PROJECT_METRICS = Object.keys(DEFAULT_PROJECT_QUOTAS) as ProjectQuotaMetric[];

function inZonesOf(
  world: World,
  project: string,
  region: string,
  collection: string,
): JsonObject[] {
  return (zonesOf(region) ?? []).flatMap((zone) =>
    world.list(`projects/${project}/zones/${zone}/${collection}`),
  );
}

/** The disk metrics: standard persistent disk, and SSD-backed ones. */
export type DiskQuotaMetric = 'DISKS_TOTAL_GB' | 'SSD_TOTAL_GB';

/**
 * The quota a disk type counts against: `pd-standard` against `DISKS_TOTAL_GB`, the SSD-backed
 * types (`pd-ssd`, `pd-balanced`, …) against `SSD_TOTAL_GB`, as in GCE.
 */
export function diskQuotaMetric(typeRef: string | undefined): DiskQuotaMetric {
  return nameOf(typeRef ?? 'pd-standard') === 'pd-standard' ? 'DISKS_TOTAL_GB' : 'SSD_TOTAL_GB';
}

/** CPUs an instance (or template properties) counts against the `CPUS` quota. */
export function cpusOf(machineTypeRef: string | undefined): number {
  return machineType(nameOf(machineTypeRef ?? ''))?.guestCpus ?? 0;
}

/** Current usage of a regional metric. */
export function regionUsage(
  world: World,
  project: string,
  region: string,
  metric: RegionQuotaMetric,
): number {
  const regional = (collection: string): JsonObject[] =>
    world.list(`projects/${project}/regions/${region}/${collection}`);
  switch (metric) {
    case 'CPUS':
      return inZonesOf(world, project, region, 'instances').reduce(
        (sum, i) => sum + cpusOf(stringField(i, 'machineType')),
        0,
      );
    case 'INSTANCES':
      return inZonesOf(world, project, region, 'instances').length;
    case 'IN_USE_ADDRESSES': {
      const ephemeral = inZonesOf(world, project, region, 'instances').reduce(
        (sum, i) =>
          sum +
          arrayField(i, 'networkInterfaces').reduce<number>(
            (n, nic) => n + (isJsonObject(nic) ? arrayField(nic, 'accessConfigs').length : 0),
            0,
          ),
        0,
      );
      const rules = regional('forwardingRules').filter(
        (r) => (stringField(r, 'loadBalancingScheme') ?? 'EXTERNAL') === 'EXTERNAL',
      ).length;
      return ephemeral + rules;
    }
    case 'STATIC_ADDRESSES':
      return regional('addresses').filter(
        (a) => (stringField(a, 'addressType') ?? 'EXTERNAL') === 'EXTERNAL',
      ).length;
    case 'INTERNAL_ADDRESSES':
      return regional('addresses').filter((a) => stringField(a, 'addressType') === 'INTERNAL')
        .length;
    case 'DISKS_TOTAL_GB':
    case 'SSD_TOTAL_GB':
      return inZonesOf(world, project, region, 'disks')
        .filter((d) => diskQuotaMetric(stringField(d, 'type')) === metric)
        .reduce((sum, d) => sum + (numberField(d, 'sizeGb') ?? 0), 0);
    case 'REGIONAL_INSTANCE_GROUP_MANAGERS':
      return regional('instanceGroupManagers').length;
    case 'REGIONAL_AUTOSCALERS':
      return regional('autoscalers').length;
  }
}

function allRegional(world: World, project: string, collection: string): number {
  return world.find(new RegExp(`^projects/${project}/regions/[^/]+/${collection}/[^/]+$`)).length;
}

/** Current usage of a project-wide metric. */
export function projectUsage(world: World, project: string, metric: ProjectQuotaMetric): number {
  const global = (collection: string): number =>
    world.list(`projects/${project}/global/${collection}`).length;
  switch (metric) {
    case 'NETWORKS':
      return global('networks');
    case 'SUBNETWORKS':
      return allRegional(world, project, 'subnetworks');
    case 'FIREWALLS':
      return global('firewalls');
    case 'INSTANCE_TEMPLATES':
      return global('instanceTemplates') + allRegional(world, project, 'instanceTemplates');
    case 'HEALTH_CHECKS':
      return global('healthChecks') + allRegional(world, project, 'healthChecks');
    case 'BACKEND_SERVICES':
      return global('backendServices') + allRegional(world, project, 'backendServices');
    case 'STATIC_ADDRESSES':
      return global('addresses');
  }
}

/** Quota limits in force, defaults merged with overrides. */
export class Quotas {
  readonly region: Readonly<Record<RegionQuotaMetric, number>>;
  readonly project: Readonly<Record<ProjectQuotaMetric, number>>;

  constructor(limits: QuotaLimits = {}) {
    this.region = { ...DEFAULT_REGION_QUOTAS, ...limits.region };
    this.project = { ...DEFAULT_PROJECT_QUOTAS, ...limits.project };
  }

  /** The `quotas` list of a `Region` resource. */
  regionQuotas(world: World, project: string, region: string): JsonObject[] {
    return REGION_METRICS.map((metric) => ({
      metric,
      limit: this.region[metric],
      usage: regionUsage(world, project, region, metric),
    }));
  }

  /** The `quotas` list of a `Project` resource. */
  projectQuotas(world: World, project: string): JsonObject[] {
    return PROJECT_METRICS.map((metric) => ({
      metric,
      limit: this.project[metric],
      usage: projectUsage(world, project, metric),
    }));
  }

  /**
   * The `QUOTA_EXCEEDED` operation error GCE reports when adding `amount` to a regional metric
   * would pass its limit, or `undefined` when it fits.
   */
  checkRegion(
    world: World,
    project: string,
    region: string,
    metric: RegionQuotaMetric,
    amount: number,
  ): OperationError | undefined {
    const limit = this.region[metric];
    if (amount <= 0 || regionUsage(world, project, region, metric) + amount <= limit) {
      return undefined;
    }
    return quotaError(metric, limit, `in region ${region}`, { region });
  }

  /** Like {@link Quotas.checkRegion}, for a project-wide metric. */
  checkProject(
    world: World,
    project: string,
    metric: ProjectQuotaMetric,
    amount: number,
  ): OperationError | undefined {
    const limit = this.project[metric];
    if (amount <= 0 || projectUsage(world, project, metric) + amount <= limit) return undefined;
    return quotaError(metric, limit, 'globally', {});
  }
}

function quotaError(
  metric: string,
  limit: number,
  where: string,
  dimensions: Record<string, string>,
): OperationError {
  return {
    code: 'QUOTA_EXCEEDED',
    message: `Quota '${metric}' exceeded.  Limit: ${limit.toFixed(1)} ${where}.`,
    httpStatus: 403,
    errorDetails: [
      {
        quotaInfo: {
          metricName: `compute.googleapis.com/${metric.toLowerCase()}`,
          limitName: `${metric}-per-project${dimensions.region ? '-region' : ''}`,
          dimensions,
          limit,
        },
      },
    ],
  };
}
