import type { Record as DnsRecord, Zone } from '@google-cloud/dns';
import type { GceApi } from './gce-api.js';
import { type ErrorSite, gceFailure } from './gce-errors.js';

/** The client's handle on the managed zone `zoneName` of the provider's project. */
export async function managedZone(api: GceApi, zoneName: string): Promise<Zone> {
  return (await api.clients()).dnsOf(api.project).zone(zoneName);
}

/** A DNS name as record sets spell it: fully qualified, with the trailing dot. */
export function fqdn(name: string): string {
  return name.endsWith('.') ? name : `${name}.`;
}

/** A record set's data, one string per resource record (the client gives one or a list). */
export function rrdatasOf(record: DnsRecord): string[] {
  const data = record.metadata.rrdatas ?? record.data ?? [];
  return (Array.isArray(data) ? data : [data]).map(String);
}

/** A managed zone's record sets, as listed: all of them, or those at one name and type. */
export interface ListedRecordSets {
  readonly zone: Zone;
  readonly records: readonly DnsRecord[];
}

/**
 * Lists the record sets of `zoneName` (only those at `only.name` of `only.type`, when given:
 * Cloud DNS filters them). The client takes an answer it cannot parse (a proxy's error page, a
 * body cut off) for a zone without records; that is refused here as a failure to try again,
 * since reading it as "no records" would lose records and, for the lock, let two applies in.
 */
export async function listRecordSets(
  api: GceApi,
  zoneName: string,
  site: ErrorSite,
  signal: AbortSignal,
  only?: { readonly name: string; readonly type: string },
): Promise<ListedRecordSets> {
  const zone = await managedZone(api, zoneName);
  const listed = await api.call(site, signal, () =>
    only === undefined ? zone.getRecords() : zone.getRecords({ name: only.name, type: only.type }),
  );
  const [records] = listed;
  // The client's types leave out the raw answer it resolves with third.
  const answer = (listed as readonly unknown[])[2];
  if (typeof answer !== 'object' || answer === null) {
    throw gceFailure(
      `Cloud DNS answered the record list of zone ${zoneName} with something that is not JSON.`,
      site,
      'unavailable',
    );
  }
  return { zone, records };
}
