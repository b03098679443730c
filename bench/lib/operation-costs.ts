import {
  type CallLogEntry,
  DEFAULT_OPERATION_LATENCY_MS,
  type GceEmulator,
  OPERATION_LATENCY_MS,
} from '@hakoc/provider-gce/emulator';

/** A cloud operation of an apply, when it started and the least time it takes. */
export interface CostedOperation {
  /** When it started, epoch ms: an operation's `insertTime`, a Cloud DNS change's `startTime`. */
  readonly startedAt: number;
  /** Key of the emulator's latency table, e.g. `instances.insert`. */
  readonly latencyKey: string;
  /** Its latency in the emulator: the table's value × the scale. */
  readonly nominalMs: number;
  /**
   * True for what the client started and waited for itself; false for what GCE started on its
   * own (a group creating its VMs), which a step waits for only by reading until it is done.
   */
  readonly byClient: boolean;
}

/** The emulator's latency of an operation at a scale (its own rounding). */
export function nominalLatencyMs(latencyKey: string, scale: number): number {
  const base = OPERATION_LATENCY_MS[latencyKey] ?? DEFAULT_OPERATION_LATENCY_MS;
  return Math.max(0, Math.round(base * scale));
}

const WAIT_PATH =
  /^\/compute\/v1\/(projects\/[^/]+\/(?:global|regions\/[^/]+|zones\/[^/]+)\/operations\/[^/]+)\/wait$/;
const OPERATION_PATH =
  /^projects\/[^/]+\/(?:global|regions\/[^/]+|zones\/[^/]+)\/operations\/[^/]+$/;
const TARGET = /\/projects\/[^/]+\/(global|regions\/[^/]+|zones\/[^/]+)\/([^/]+)\//;
const DNS_CHANGE_PATH = /^dns\/projects\/[^/]+\/managedZones\/[^/]+\/changes\/[^/]+$/;
const DNS_CHANGE_READ = /^\/dns\/v1\/projects\/[^/]+\/managedZones\/[^/]+\/changes\/[^/]+$/;

/** `instances.insert` for a compute operation, from the collection it targets and its type. */
function latencyKeyOf(operation: { targetLink?: unknown; operationType?: unknown }): string {
  const match = TARGET.exec(String(operation.targetLink ?? ''));
  const scope = match?.[1] ?? '';
  const collection = match?.[2] ?? 'unknown';
  // The emulator keeps global addresses apart from regional ones in its table.
  const table = scope === 'global' && collection === 'addresses' ? 'globalAddresses' : collection;
  return `${table}.${String(operation.operationType ?? 'unknown')}`;
}

/**
 * Every cloud operation of the run: compute operations from the emulator's store (those the
 * client waited on through `…/wait` marked `byClient`), Cloud DNS changes from the zone's
 * change history (those the client polled until done marked `byClient`; the cluster lock's
 * changes are not waited for).
 */
export function costedOperations(emulator: GceEmulator, scale: number): CostedOperation[] {
  const log = emulator.log as readonly CallLogEntry[];
  const waited = new Set<string>();
  for (const call of log) {
    if (call.method === 'POST') {
      const path = WAIT_PATH.exec(call.path)?.[1];
      if (path !== undefined) waited.add(path);
    } else if (call.method === 'GET' && DNS_CHANGE_READ.test(call.path)) {
      waited.add(call.path.replace(/^\/dns\/v1\//, 'dns/'));
    }
  }
  // Operations and changes of the plan before the log was cleared are not the apply's.
  const since = Math.min(...log.map((call) => call.at));
  const found: CostedOperation[] = [];
  for (const { path, resource } of emulator.resources(DNS_CHANGE_PATH)) {
    const startedAt = Date.parse(String(resource.startTime ?? ''));
    if (!Number.isFinite(startedAt)) throw new Error(`${path} has no startTime`);
    if (startedAt < since) continue;
    found.push({
      startedAt,
      latencyKey: 'dns.changes',
      nominalMs: nominalLatencyMs('dns.changes', scale),
      byClient: waited.has(path),
    });
  }
  for (const { path, resource } of emulator.resources(OPERATION_PATH)) {
    const startedAt = Date.parse(String(resource.insertTime ?? ''));
    if (!Number.isFinite(startedAt)) throw new Error(`${path} has no insertTime`);
    if (startedAt < since) continue;
    const latencyKey = latencyKeyOf(resource);
    found.push({
      startedAt,
      latencyKey,
      nominalMs: nominalLatencyMs(latencyKey, scale),
      byClient: waited.has(path),
    });
  }
  return found.sort((a, b) => a.startedAt - b.startedAt);
}
