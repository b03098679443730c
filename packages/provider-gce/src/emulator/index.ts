/**
 * `@hakoc/provider-gce/emulator`: a stateful Compute Engine v1 + Cloud DNS v1 REST emulator on
 * loopback, for testing the provider through the real Google clients.
 *
 * @packageDocumentation
 */
export {
  allZones,
  type MachineTypeInfo,
  machineType,
  machineTypes,
  regionNames,
  regionOfZone,
  zonesOf,
} from './catalog.js';
export type {
  InstanceMetadataChange,
  InstanceMetadataListener,
} from './compute/guest-attributes.js';
export type { SeedZone } from './dns/dns.js';
export {
  type CustomFault,
  DEFAULT_RANDOM_FAULT_KINDS,
  FAULT_KINDS,
  type FaultKind,
  type FaultRule,
  type FaultSettings,
} from './faults.js';
export type { Json, JsonObject } from './json.js';
export { DEFAULT_OPERATION_LATENCY_MS, OPERATION_LATENCY_MS } from './latency.js';
export type { CallFilter, CallLogEntry } from './log.js';
export {
  DEFAULT_PROJECT_QUOTAS,
  DEFAULT_REGION_QUOTAS,
  type ProjectQuotaMetric,
  type QuotaLimits,
  type RegionQuotaMetric,
} from './quotas.js';
export { type GceEmulator, type GceEmulatorOptions, startGceEmulator } from './server.js';
export type { Effect, PendingOperation, WorldSnapshot } from './state.js';
