import { setTimeout as sleep } from 'node:timers/promises';
import type { Record as DnsRecord, Zone } from '@google-cloud/dns';
import {
  isProviderError,
  noChange,
  type OperationContext,
  type Owner,
  type ProviderContext,
  type Resource,
  type ResourceType,
  updateFields,
} from '@hakoc/core';
import { listRecordSets, managedZone, rrdatasOf } from '../dns-record-sets.js';
import type { GceApi } from '../gce-api.js';
import { type ErrorSite, gceFailure } from '../gce-errors.js';
import { type GceState, getOrUndefined } from '../gce-resource-type.js';
import { labelsOfDescription, ownedBy } from '../ownership.js';
import { siteOf } from './site.js';

/** The resource type of Cloud DNS records. */
export const DNS_RECORD_TYPE = 'gce.dnsRecord';

/**
 * An A record in the user's managed zone (`api.<domain>.`, `etcd-N.<domain>.`). Record sets have
 * no labels or description, so ownership is a TXT record at the same name holding the marker
 * (as external-dns does): both are added and removed in one atomic change, and a name that has
 * an A record but not our TXT is someone else's.
 */
export interface DnsRecordSpec {
  /** The managed zone's name. */
  readonly zone: string;
  /** Time to live in seconds. */
  readonly ttl: number;
  /** Fixed addresses (etcd members); empty when `address` names the source. */
  readonly rrdatas: readonly string[];
  /** Name of the static address whose IP the record points to (the API); `''` for none. */
  readonly address: string;
}

/** What is read back of a record. */
export interface DnsRecordFields extends DnsRecordSpec {
  /** True when `address` now has another IP than the record. */
  readonly stale: boolean;
}

/** The state of a record. */
export type DnsRecordState = GceState<DnsRecordFields>;

const MARKER_PREFIX = 'hakoc-managed=true';
// A change is asked after 100 ms, then each wait is a quarter longer, up to a second: a typical
// change of a few seconds costs about ten reads and is seen done at most a quarter late.
const FIRST_CHANGE_POLL_MS = 100;
const MAX_CHANGE_POLL_MS = 1_000;
const CHANGE_POLL_GROWTH = 1.25;
const MAX_CHANGE_POLLS = 10_000;

function markerText(owner: Owner, address: string): string {
  const source = address === '' ? '' : `: address=${address}`;
  return `"${MARKER_PREFIX} hakoc-cluster=${owner.cluster}${source}"`;
}

function unquote(text: string): string {
  return text.replace(/^"|"$/g, '');
}

interface RecordPair {
  readonly a: DnsRecord;
  readonly txt: DnsRecord | undefined;
}

function pairs(records: readonly DnsRecord[]): Map<string, RecordPair> {
  const txtByName = new Map(
    records.filter((r) => r.metadata.type === 'TXT').map((r) => [r.metadata.name, r]),
  );
  const out = new Map<string, RecordPair>();
  for (const record of records) {
    if (record.metadata.type !== 'A') continue;
    out.set(record.metadata.name, { a: record, txt: txtByName.get(record.metadata.name) });
  }
  return out;
}

function stateOf(
  zone: string,
  pair: RecordPair,
  owner: Owner,
  addressIps: ReadonlyMap<string, string>,
): DnsRecordState | undefined {
  const marker = pair.txt === undefined ? undefined : rrdatasOf(pair.txt).map(unquote)[0];
  const labels = labelsOfDescription(marker);
  if (!ownedBy(labels, owner)) return undefined;
  const address = /: address=([a-z][-a-z0-9]*)$/.exec(marker ?? '')?.[1] ?? '';
  const rrdatas = rrdatasOf(pair.a);
  return {
    id: `${zone}/${pair.a.metadata.name}`,
    name: pair.a.metadata.name,
    labels,
    fields: {
      zone,
      ttl: pair.a.metadata.ttl,
      rrdatas: address === '' ? rrdatas : [],
      address,
      stale: address !== '' && addressIps.get(address) !== rrdatas[0],
    },
  };
}

/** Cloud DNS A records with a TXT ownership marker. Addresses and TTL change in place. */
export function dnsRecordType(
  api: GceApi,
  zoneName: string,
): ResourceType<DnsRecordSpec, DnsRecordState> {
  const addressIps = async (signal: AbortSignal, owner: Owner) => {
    const [items] = await api.call(siteOf('list', DNS_RECORD_TYPE), signal, (c) =>
      c.addresses.list({ project: api.project, region: api.region }),
    );
    return new Map(
      items
        .filter((a) => ownedBy(a.labels ?? undefined, owner))
        .map((a) => [a.name ?? '', a.address ?? '']),
    );
  };

  const readAll = (ctx: ProviderContext) =>
    listRecordSets(api, zoneName, siteOf('list', DNS_RECORD_TYPE), ctx.signal);

  const wantedRecords = async (
    ctx: OperationContext,
    zone: Zone,
    resource: Resource<DnsRecordSpec>,
    site: ErrorSite,
  ) => {
    let data = [...resource.spec.rrdatas];
    if (resource.spec.address !== '') {
      const [address] = await api.call(site, ctx.signal, (c) =>
        c.addresses.get({
          project: api.project,
          region: api.region,
          address: resource.spec.address,
        }),
      );
      if (!address.address)
        throw gceFailure(`${resource.spec.address} has no IP yet.`, site, 'not-ready');
      data = [address.address];
    }
    return [
      zone.record('a', { name: resource.name, ttl: resource.spec.ttl, data }),
      zone.record('txt', {
        name: resource.name,
        ttl: resource.spec.ttl,
        data: [markerText(ctx.owner, resource.spec.address)],
      }),
    ];
  };

  const change = async (
    ctx: OperationContext,
    zone: Zone,
    site: ErrorSite,
    request: { add?: DnsRecord[]; delete?: DnsRecord[] },
  ) => {
    const [started] = await api.call(site, ctx.signal, () => zone.createChange(request));
    // Changes apply atomically at once and report `pending` until they have propagated.
    let waitMs = FIRST_CHANGE_POLL_MS;
    for (let poll = 0; started.metadata?.status !== 'done' && poll < MAX_CHANGE_POLLS; poll++) {
      await sleep(waitMs, undefined, { signal: ctx.signal });
      waitMs = Math.min(MAX_CHANGE_POLL_MS, waitMs * CHANGE_POLL_GROWTH);
      const [metadata] = await api.call(site, ctx.signal, () => started.getMetadata());
      started.metadata = metadata;
    }
  };

  const currentPair = async (ctx: OperationContext, name: string) => {
    const { records } = await readAll(ctx);
    return pairs(records.filter((r) => r.metadata.name === name)).get(name);
  };

  const read = async (ctx: OperationContext, name: string): Promise<DnsRecordState> => {
    const site = siteOf('create', DNS_RECORD_TYPE, name);
    // The addresses are read alongside the records: one round trip after the change, not two.
    const [pair, ips] = await Promise.all([
      currentPair(ctx, name),
      addressIps(ctx.signal, ctx.owner),
    ]);
    const state = pair === undefined ? undefined : stateOf(zoneName, pair, ctx.owner, ips);
    if (state === undefined)
      throw gceFailure(`${name} is not in zone ${zoneName}.`, site, 'not-ready');
    return state;
  };

  const recordsOfState = (pair: RecordPair) => [pair.a, ...(pair.txt ? [pair.txt] : [])];

  return {
    type: DNS_RECORD_TYPE,
    async list(ctx, owner) {
      const { records } = await readAll(ctx);
      const found = [...pairs(records).values()];
      const needIps = found.some((p) => /address=/.test(rrdatasOf(p.txt ?? p.a).join(' ')));
      const ips = needIps ? await addressIps(ctx.signal, owner) : new Map<string, string>();
      return found.flatMap((pair) => stateOf(zoneName, pair, owner, ips) ?? []);
    },
    async create(ctx, resource) {
      const site = siteOf('create', DNS_RECORD_TYPE, resource.name);
      const zone = await managedZone(api, zoneName);
      const add = await wantedRecords(ctx, zone, resource, site);
      try {
        await change(ctx, zone, site, { add });
      } catch (error) {
        if (!(isProviderError(error) && error.reason === 'conflict')) throw error;
        const pair = await currentPair(ctx, resource.name);
        if (pair === undefined) {
          // A conflict with no record to see: a change adding them (ours, whose answer was
          // lost, or someone's) is still being applied. Waiting tells whose it is.
          throw gceFailure(
            `${resource.name} is being changed in zone ${zoneName} by a change still in progress.`,
            site,
            'not-ready',
          );
        }
        if (stateOf(zoneName, pair, ctx.owner, new Map()) === undefined) {
          throw gceFailure(
            `${resource.name} already has records in zone ${zoneName} that are not cluster ${ctx.owner.cluster}'s.`,
            site,
            'conflict',
            'Remove the existing records or choose another domain.',
          );
        }
        await change(ctx, zone, site, { delete: recordsOfState(pair), add });
      }
      return read(ctx, resource.name);
    },
    async update(ctx, _current, resource) {
      const site = siteOf('update', DNS_RECORD_TYPE, resource.name);
      const zone = await managedZone(api, zoneName);
      const pair = await currentPair(ctx, resource.name);
      const add = await wantedRecords(ctx, zone, resource, site);
      await change(ctx, zone, site, {
        ...(pair ? { delete: recordsOfState(pair) } : {}),
        add,
      });
      return read(ctx, resource.name);
    },
    async delete(ctx, current) {
      const site = siteOf('delete', DNS_RECORD_TYPE, current.name);
      const zone = await managedZone(api, zoneName);
      const pair = await getOrUndefined(currentPair(ctx, current.name));
      if (pair === undefined || stateOf(zoneName, pair, ctx.owner, new Map()) === undefined) return;
      await change(ctx, zone, site, { delete: recordsOfState(pair) });
    },
    diff(resource, current) {
      const { spec } = resource;
      const fields: string[] = [];
      if (spec.zone !== current.fields.zone) fields.push('zone');
      if (spec.ttl !== current.fields.ttl) fields.push('ttl');
      if (spec.address !== current.fields.address || current.fields.stale) fields.push('address');
      if (spec.rrdatas.join(',') !== current.fields.rrdatas.join(',')) fields.push('rrdatas');
      return fields.length === 0 ? noChange() : updateFields(fields);
    },
  };
}
