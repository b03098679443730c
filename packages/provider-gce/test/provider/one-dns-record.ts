import type { Resource } from '@hakoc/core';
import type { FaultSettings, GceEmulator } from '../../src/emulator/index.js';
import type { GceProvider } from '../../src/index.js';
import { DNS_RECORD_TYPE, type DnsRecordSpec } from '../../src/resources/dns-record.js';
import { EXAMPLE_ZONE } from './fixtures.js';

// One Cloud DNS record in the example zone, and the provider planning it alone: what the DNS
// record tests put through the real client and the emulator's fault rules.

/** The example zone's change calls (`POST …/changes`). */
export const ZONE_CHANGES = new RegExp(`/managedZones/${EXAMPLE_ZONE.name}/changes$`);
/** The example zone's record list calls (`GET …/rrsets`). */
export const ZONE_RRSETS = new RegExp(`/managedZones/${EXAMPLE_ZONE.name}/rrsets$`);

/** An etcd member's A record, the one resource of {@link recordOnly}. */
export const ONE_RECORD: Resource<DnsRecordSpec> = {
  type: DNS_RECORD_TYPE,
  name: 'etcd-7.k8s.example.com.',
  spec: { zone: EXAMPLE_ZONE.name, ttl: 60, rrdatas: ['10.0.0.7'], address: '' },
};

/**
 * The GCE provider whose desired graph is {@link ONE_RECORD}, so a plan is that one step; each
 * create of the record first waits for `before()`.
 */
export function recordOnly(
  provider: GceProvider,
  before: () => Promise<unknown> = async () => {},
): GceProvider {
  const types = provider.types.map((type) =>
    type.type !== DNS_RECORD_TYPE
      ? type
      : {
          ...type,
          create: async (...args: Parameters<typeof type.create>) => {
            await before();
            return type.create(...args);
          },
        },
  );
  return { ...provider, types, desired: () => [ONE_RECORD] };
}

/** The record sets the emulator holds at `name` in the example zone. */
export function recordSetsAt(emulator: GceEmulator, name: string) {
  return emulator
    .resources(new RegExp(`^dns/projects/[^/]+/managedZones/${EXAMPLE_ZONE.name}/rrsets/`))
    .map(({ resource }) => resource)
    .filter((record) => record.name === name);
}

/**
 * A `before` for {@link recordOnly} that sets `faults` when the record's create first starts:
 * the cluster lock's own changes to the zone (taken before the step, released after it) go
 * through untouched.
 */
export function faultsAtFirstCreate(
  emulator: GceEmulator,
  faults: FaultSettings,
): () => Promise<void> {
  let set = false;
  return async () => {
    if (set) return;
    set = true;
    emulator.setFaults(faults);
  };
}
