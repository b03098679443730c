/**
 * GCE's public regions, zones and machine types, as the emulator knows them. The provider's
 * preflight checks a spec's region and zones against these, and quotas count CPUs from them.
 *
 * Regions and zones follow Google's published list (cloud.google.com/compute/docs/regions-zones).
 * Machine types cover the families a cluster uses (E2, N1, N2, N2D, C3, T2D and the legacy
 * shared-core ones) with Google's published vCPU and memory sizes; every zone offers all of them,
 * which real GCE does not promise.
 */

/** A region and the letters of its zones. */
interface RegionEntry {
  readonly name: string;
  readonly zones: readonly string[];
}

const REGIONS: readonly RegionEntry[] = [
  { name: 'africa-south1', zones: ['a', 'b', 'c'] },
  { name: 'asia-east1', zones: ['a', 'b', 'c'] },
  { name: 'asia-east2', zones: ['a', 'b', 'c'] },
  { name: 'asia-northeast1', zones: ['a', 'b', 'c'] },
  { name: 'asia-northeast2', zones: ['a', 'b', 'c'] },
  { name: 'asia-northeast3', zones: ['a', 'b', 'c'] },
  { name: 'asia-south1', zones: ['a', 'b', 'c'] },
  { name: 'asia-south2', zones: ['a', 'b', 'c'] },
  { name: 'asia-southeast1', zones: ['a', 'b', 'c'] },
  { name: 'asia-southeast2', zones: ['a', 'b', 'c'] },
  { name: 'australia-southeast1', zones: ['a', 'b', 'c'] },
  { name: 'australia-southeast2', zones: ['a', 'b', 'c'] },
  { name: 'europe-central2', zones: ['a', 'b', 'c'] },
  { name: 'europe-north1', zones: ['a', 'b', 'c'] },
  { name: 'europe-north2', zones: ['a', 'b', 'c'] },
  { name: 'europe-southwest1', zones: ['a', 'b', 'c'] },
  { name: 'europe-west1', zones: ['b', 'c', 'd'] },
  { name: 'europe-west2', zones: ['a', 'b', 'c'] },
  { name: 'europe-west3', zones: ['a', 'b', 'c'] },
  { name: 'europe-west4', zones: ['a', 'b', 'c'] },
  { name: 'europe-west6', zones: ['a', 'b', 'c'] },
  { name: 'europe-west8', zones: ['a', 'b', 'c'] },
  { name: 'europe-west9', zones: ['a', 'b', 'c'] },
  { name: 'europe-west10', zones: ['a', 'b', 'c'] },
  { name: 'europe-west12', zones: ['a', 'b', 'c'] },
  { name: 'me-central1', zones: ['a', 'b', 'c'] },
  { name: 'me-central2', zones: ['a', 'b', 'c'] },
  { name: 'me-west1', zones: ['a', 'b', 'c'] },
  { name: 'northamerica-northeast1', zones: ['a', 'b', 'c'] },
  { name: 'northamerica-northeast2', zones: ['a', 'b', 'c'] },
  { name: 'northamerica-south1', zones: ['a', 'b', 'c'] },
  { name: 'southamerica-east1', zones: ['a', 'b', 'c'] },
  { name: 'southamerica-west1', zones: ['a', 'b', 'c'] },
  { name: 'us-central1', zones: ['a', 'b', 'c', 'f'] },
  { name: 'us-east1', zones: ['b', 'c', 'd'] },
  { name: 'us-east4', zones: ['a', 'b', 'c'] },
  { name: 'us-east5', zones: ['a', 'b', 'c'] },
  { name: 'us-south1', zones: ['a', 'b', 'c'] },
  { name: 'us-west1', zones: ['a', 'b', 'c'] },
  { name: 'us-west2', zones: ['a', 'b', 'c'] },
  { name: 'us-west3', zones: ['a', 'b', 'c'] },
  { name: 'us-west4', zones: ['a', 'b', 'c'] },
];

/** A machine type's size: what quotas and the provider's preflight need. */
export interface MachineTypeInfo {
  /** e.g. `e2-standard-4`. */
  readonly name: string;
  /** vCPUs, counted against the regional `CPUS` quota. */
  readonly guestCpus: number;
  /** Memory in MiB. */
  readonly memoryMb: number;
  /** True for shared-core types (e2-micro/small/medium, f1-micro, g1-small). */
  readonly isSharedCpu: boolean;
}

function family(
  prefix: string,
  sizes: readonly number[],
  memoryPerCpuMb: number,
): MachineTypeInfo[] {
  return sizes.map((n) => ({
    name: `${prefix}-${n}`,
    guestCpus: n,
    memoryMb: n * memoryPerCpuMb,
    isSharedCpu: false,
  }));
}

const MACHINE_TYPES: readonly MachineTypeInfo[] = [
  { name: 'e2-micro', guestCpus: 2, memoryMb: 1024, isSharedCpu: true },
  { name: 'e2-small', guestCpus: 2, memoryMb: 2048, isSharedCpu: true },
  { name: 'e2-medium', guestCpus: 2, memoryMb: 4096, isSharedCpu: true },
  { name: 'f1-micro', guestCpus: 1, memoryMb: 614, isSharedCpu: true },
  { name: 'g1-small', guestCpus: 1, memoryMb: 1740, isSharedCpu: true },
  ...family('e2-standard', [2, 4, 8, 16, 32], 4096),
  ...family('e2-highmem', [2, 4, 8, 16], 8192),
  ...family('e2-highcpu', [2, 4, 8, 16, 32], 1024),
  ...family('n1-standard', [1, 2, 4, 8, 16, 32, 64, 96], 3840),
  ...family('n1-highmem', [2, 4, 8, 16, 32, 64, 96], 6656),
  ...family('n1-highcpu', [2, 4, 8, 16, 32, 64, 96], 921.6).map((t) => ({
    ...t,
    memoryMb: Math.round(t.memoryMb),
  })),
  ...family('n2-standard', [2, 4, 8, 16, 32, 48, 64, 80, 96, 128], 4096),
  ...family('n2-highmem', [2, 4, 8, 16, 32, 48, 64, 80, 96, 128], 8192),
  ...family('n2-highcpu', [2, 4, 8, 16, 32, 48, 64, 80, 96], 1024),
  ...family('n2d-standard', [2, 4, 8, 16, 32, 48, 64, 80, 96, 128, 224], 4096),
  ...family('c3-standard', [4, 8, 22, 44, 88, 176], 4096),
  ...family('t2d-standard', [1, 2, 4, 8, 16, 32, 48, 60], 4096),
];

const MACHINE_TYPES_BY_NAME = new Map(MACHINE_TYPES.map((t) => [t.name, t]));

/** Names of every region, sorted. */
export function regionNames(): string[] {
  return REGIONS.map((r) => r.name);
}

/** Zone names of a region (`us-central1-a`, …), or `undefined` for an unknown region. */
export function zonesOf(region: string): string[] | undefined {
  const entry = REGIONS.find((r) => r.name === region);
  return entry?.zones.map((letter) => `${region}-${letter}`);
}

/** The region a zone belongs to, or `undefined` for an unknown zone. */
export function regionOfZone(zone: string): string | undefined {
  const region = zone.replace(/-[a-z]$/, '');
  return zonesOf(region)?.includes(zone) ? region : undefined;
}

/** Every known zone name. */
export function allZones(): string[] {
  return REGIONS.flatMap((r) => r.zones.map((letter) => `${r.name}-${letter}`));
}

/** Every predefined machine type. */
export function machineTypes(): readonly MachineTypeInfo[] {
  return MACHINE_TYPES;
}

/**
 * A machine type by name, including custom types (`custom-4-8192`, `e2-custom-4-8192`,
 * `n2-custom-8-16384`), or `undefined` for a name GCE would refuse.
 */
export function machineType(name: string): MachineTypeInfo | undefined {
  const known = MACHINE_TYPES_BY_NAME.get(name);
  if (known) return known;
  const custom = /^(?:(?:e2|n2|n2d|n1)-)?custom-(\d+)-(\d+)(?:-ext)?$/.exec(name);
  if (!custom) return undefined;
  return {
    name,
    guestCpus: Number(custom[1]),
    memoryMb: Number(custom[2]),
    isSharedCpu: false,
  };
}
