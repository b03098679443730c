import {
  type CallLogEntry,
  DEFAULT_OPERATION_LATENCY_MS,
  type GceEmulator,
  OPERATION_LATENCY_MS,
} from '@hakoc/provider-gce/emulator';

/** A cloud operation the client waited for, and the least time it takes. */
export interface WaitedOperation {
  /** When the client asked for it (the call that started or waited on it), epoch ms. */
  readonly at: number;
  /** Key of the emulator's latency table, e.g. `instances.insert`. */
  readonly latencyKey: string;
  /** Its latency in the emulator: the table's value × the scale. */
  readonly nominalMs: number;
}

/** The emulator's latency of an operation at a scale (its own rounding). */
export function nominalLatencyMs(latencyKey: string, scale: number): number {
  const base = OPERATION_LATENCY_MS[latencyKey] ?? DEFAULT_OPERATION_LATENCY_MS;
  return Math.max(0, Math.round(base * scale));
}

const WAIT_PATH =
  /^\/compute\/v1\/(projects\/[^/]+\/(?:global|regions\/[^/]+|zones\/[^/]+)\/operations\/[^/]+)\/wait$/;
const TARGET = /\/projects\/[^/]+\/(global|regions\/[^/]+|zones\/[^/]+)\/([^/]+)\//;
const DNS_CHANGE = /^\/dns\/v1\/projects\/[^/]+\/managedZones\/[^/]+\/changes$/;

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
 * Every operation the client waited for, read from the emulator's call log: compute operations
 * through their `…/wait` calls (each counted once), Cloud DNS changes through their `POST`.
 * Operations the emulator starts on its own (a group creating its VMs) are not waited for by
 * the client and are not listed.
 */
export function waitedOperations(emulator: GceEmulator, scale: number): WaitedOperation[] {
  const seen = new Set<string>();
  const found: WaitedOperation[] = [];
  for (const call of emulator.log as readonly CallLogEntry[]) {
    if (call.method === 'POST' && DNS_CHANGE.test(call.path)) {
      found.push({
        at: call.at,
        latencyKey: 'dns.changes',
        nominalMs: nominalLatencyMs('dns.changes', scale),
      });
      continue;
    }
    const wait = call.method === 'POST' ? WAIT_PATH.exec(call.path) : null;
    const path = wait?.[1];
    if (path === undefined || seen.has(path)) continue;
    seen.add(path);
    const operation = emulator.get(path);
    if (operation === undefined) throw new Error(`the emulator has no ${path}`);
    const latencyKey = latencyKeyOf(operation);
    found.push({ at: call.at, latencyKey, nominalMs: nominalLatencyMs(latencyKey, scale) });
  }
  return found;
}
