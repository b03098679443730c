import type { Record as DnsRecord } from '@google-cloud/dns';
import {
  isProviderError,
  type LockRecord,
  type LockStore,
  type ProviderContext,
} from '@hakoc/core';
import { fqdn, listRecordSets, managedZone, rrdatasOf } from './dns-record-sets.js';
import type { GceApi } from './gce-api.js';
import { gceFailure } from './gce-errors.js';

/** The name of the cluster lock's TXT record: beside the cluster's own records. */
export function lockRecordName(domain: string): string {
  return fqdn(`_hakoc-lock.${domain}`);
}

const LOCK_TTL_SECONDS = 60;
// A TXT string holds 255 bytes; longer text (ASCII: the holder is base64url) goes in several
// strings, read back joined.
const TXT_STRING_BYTES = 255;

/** The TXT data of `lock`: words `key=value`, the holder base64url (it may hold anything). */
function lockText(cluster: string, lock: LockRecord): string[] {
  const words = [
    'hakoc-lock=v1',
    `hakoc-cluster=${cluster}`,
    `id=${lock.id}`,
    `operation=${lock.operation}`,
    `acquired=${lock.acquiredAt}`,
    ...(lock.fingerprint === undefined ? [] : [`fingerprint=${lock.fingerprint}`]),
    `holder=${Buffer.from(lock.holder).toString('base64url')}`,
  ].join(' ');
  const strings: string[] = [];
  for (let at = 0; at < words.length; at += TXT_STRING_BYTES) {
    strings.push(`"${words.slice(at, at + TXT_STRING_BYTES)}"`);
  }
  return [strings.join(' ')];
}

/** The words of a lock's TXT data, or `undefined` for TXT data that is not a hakoc lock. */
function lockWords(record: DnsRecord): Map<string, string> | undefined {
  const text = rrdatasOf(record).join('').replace(/"\s*"/g, '').replace(/^"|"$/g, '');
  const words = new Map(
    text.split(' ').map((word) => {
      const at = word.indexOf('=');
      return [word.slice(0, at), word.slice(at + 1)] as const;
    }),
  );
  return words.get('hakoc-lock') === 'v1' ? words : undefined;
}

function recordOf(words: ReadonlyMap<string, string>): LockRecord | undefined {
  const id = words.get('id');
  const operation = words.get('operation');
  const acquiredAt = words.get('acquired');
  const holder = words.get('holder');
  if (id === undefined || acquiredAt === undefined || holder === undefined) return undefined;
  if (operation !== 'apply' && operation !== 'destroy') return undefined;
  const fingerprint = words.get('fingerprint');
  return {
    id,
    holder: Buffer.from(holder, 'base64url').toString(),
    operation,
    ...(fingerprint === undefined ? {} : { fingerprint }),
    acquiredAt,
  };
}

/**
 * The cluster lock as a TXT record, `_hakoc-lock.<domain>.`, in the cluster's Cloud DNS zone.
 * A change to a zone is checked against the zone as it stands when Cloud DNS accepts it (the
 * zone is the sum of its accepted changes, applied in order; `pending` only means the name
 * servers have yet to hear of it), so adding a record that exists fails with "already exists"
 * at once, and an accepted add is the lock, held: nothing to wait for before the apply may
 * change anything. (A GCE object such as a health check is held only once its insert's
 * operation is done, seconds later, and every apply waited for that.) Removing it is one change
 * that must match the record exactly, so only the lock that was read goes.
 *
 * Anyone who can query the zone can read the record: its holder (by default `<host>:<pid>`),
 * operation, start time and plan fingerprint; nothing secret.
 */
export function gceLockStore(api: GceApi, zoneName: string, domain: string): LockStore {
  const name = lockRecordName(domain);
  const site = { operation: 'lock' as const, resource: name };

  /** The lock's record set as Cloud DNS holds it, checked to be this cluster's lock. */
  const current = async (ctx: ProviderContext) => {
    const { records } = await listRecordSets(api, zoneName, site, ctx.signal, {
      name,
      type: 'TXT',
    });
    const found = records.find((r) => r.metadata.name === name && r.metadata.type === 'TXT');
    if (found === undefined) return undefined;
    const words = lockWords(found);
    const record = words === undefined ? undefined : recordOf(words);
    if (words?.get('hakoc-cluster') !== ctx.owner.cluster || record === undefined) {
      throw gceFailure(
        `Zone ${zoneName} has a TXT record ${name} that is not cluster ${ctx.owner.cluster}'s lock.`,
        site,
        'conflict',
        'Remove that record, or give the cluster another domain.',
      );
    }
    return { found, record };
  };

  return {
    read: async (ctx) => (await current(ctx))?.record,
    async create(ctx, lock) {
      const zone = await managedZone(api, zoneName);
      const add = zone.record('txt', {
        name,
        ttl: LOCK_TTL_SECONDS,
        data: lockText(ctx.owner.cluster, lock),
      });
      try {
        await api.call(site, ctx.signal, () => zone.createChange({ add }));
      } catch (error) {
        // A record at the name that is no hakoc lock says so, rather than "already exists".
        if (isProviderError(error) && error.reason === 'conflict') await current(ctx);
        throw error;
      }
    },
    async delete(ctx, lock) {
      const held = await current(ctx);
      if (held === undefined || held.record.id !== lock.id) return;
      const zone = await managedZone(api, zoneName);
      try {
        await api.call(site, ctx.signal, () => zone.createChange({ delete: held.found }));
      } catch (error) {
        // Gone already (an earlier try whose answer was lost), or replaced since it was read
        // (Cloud DNS refuses a deletion that does not match): either way not ours to remove.
        if (isProviderError(error) && ['not-found', 'invalid'].includes(error.reason)) {
          if (error.reason === 'not-found' || (await current(ctx))?.record.id !== lock.id) return;
        }
        throw error;
      }
    },
  };
}
