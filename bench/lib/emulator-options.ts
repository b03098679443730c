import type { ClusterModel } from '@hakoc/core';
import {
  DEFAULT_PROJECT_QUOTAS,
  DEFAULT_REGION_QUOTAS,
  type GceEmulatorOptions,
} from '@hakoc/provider-gce/emulator';

/** Every quota of a new project × 1,000: a project whose quotas were raised for big clusters. */
function raised<K extends string>(defaults: Readonly<Record<K, number>>): Record<K, number> {
  const entries = Object.entries<number>(defaults).map(([metric, limit]) => [metric, limit * 1000]);
  return Object.fromEntries(entries) as Record<K, number>;
}

/**
 * Emulator settings for the example: the user's DNS zone exists, and the project's quotas were
 * raised for the cluster (a new project's 24 CPUs and 8 addresses are below an HA cluster's).
 */
export function emulatorOptionsFor(model: ClusterModel, latencyScale: number): GceEmulatorOptions {
  if (model.provider.name !== 'gce') throw new Error(`${model.name} is not a GCE cluster`);
  return {
    latencyScale,
    dnsZones: [{ name: model.provider.dnsZone, dnsName: `${model.domain}.` }],
    quotas: { region: raised(DEFAULT_REGION_QUOTAS), project: raised(DEFAULT_PROJECT_QUOTAS) },
  };
}
