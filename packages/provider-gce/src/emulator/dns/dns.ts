import { badPayload, GceApiError, invalidField, notFound, requiredField } from '../errors.js';
import {
  arrayField,
  cloneJson,
  isJsonObject,
  type JsonObject,
  numberField,
  stringField,
} from '../json.js';
import { operationLatencyMs } from '../latency.js';
import type { World } from '../world.js';

/**
 * Cloud DNS v1, as much as a cluster needs: managed zones (create, get, list, delete), record
 * sets (list with `name`/`type`, and the direct create/get/patch/delete methods) and changes
 * (create, get, list). Changes apply at once and report `pending` until their latency has
 * passed, then `done`, as Cloud DNS does. Zones given at start-up are seeded in every project
 * that asks (or in the one named), so tests find the user's pre-existing zone.
 */

/** A zone to seed: the user's existing managed zone. */
export interface SeedZone {
  /** Zone name, e.g. `example-zone`. */
  readonly name: string;
  /** Its DNS name with the trailing dot, e.g. `example.com.`. */
  readonly dnsName: string;
  /** Project to seed it in; every project when omitted. */
  readonly project?: string;
}

/** What DNS handlers need. */
export interface DnsEnvironment {
  readonly world: World;
  readonly latencyScale: number;
  readonly seedZones: readonly SeedZone[];
}

/** A DNS reply. */
export interface DnsReply {
  readonly status: number;
  readonly body: JsonObject | undefined;
}

const ZONE_FIELDS = new Set([
  'kind',
  'name',
  'dnsName',
  'description',
  'id',
  'nameServers',
  'creationTime',
  'visibility',
  'labels',
  'dnssecConfig',
  'privateVisibilityConfig',
  'nameServerSet',
  'forwardingConfig',
  'peeringConfig',
  'reverseLookupConfig',
  'serviceDirectoryConfig',
  'cloudLoggingConfig',
]);
const RRSET_FIELDS = new Set([
  'kind',
  'name',
  'type',
  'ttl',
  'rrdatas',
  'signatureRrdatas',
  'routingPolicy',
]);
const CHANGE_FIELDS = new Set([
  'kind',
  'additions',
  'deletions',
  'id',
  'status',
  'startTime',
  'isServing',
]);

function checkFields(value: JsonObject, allowed: ReadonlySet<string>, where: string): void {
  for (const key of Object.keys(value)) {
    if (!allowed.has(key)) {
      throw badPayload(
        `Invalid JSON payload received. Unknown name ${JSON.stringify(key)} at '${where}': Cannot find field.`,
      );
    }
  }
}

function zonePath(project: string, zone: string): string {
  return `dns/projects/${project}/managedZones/${zone}`;
}

function rrsetKey(name: string, type: string): string {
  return `${type}:${name}`;
}

function conditionNotMet(what: string): GceApiError {
  return new GceApiError(
    412,
    'conditionNotMet',
    `Precondition not met for '${what}'`,
    'FAILED_PRECONDITION',
  );
}

function createZone(world: World, project: string, body: JsonObject): JsonObject {
  const name = stringField(body, 'name');
  if (!name) throw requiredField('entity.managedZone.name');
  const dnsName = stringField(body, 'dnsName');
  if (!dnsName) throw requiredField('entity.managedZone.dnsName');
  if (!dnsName.endsWith('.'))
    throw invalidField('entity.managedZone.dnsName', dnsName, 'Must end with a dot.');
  const path = zonePath(project, name);
  if (world.get(path)) {
    throw new GceApiError(
      409,
      'alreadyExists',
      `The resource 'entity.managedZone' named '${name}' already exists`,
      'ALREADY_EXISTS',
    );
  }
  const letter = 'abcdef'.charAt(world.prng.int(6));
  const servers = [1, 2, 3, 4].map((n) => `ns-cloud-${letter}${n}.googledomains.com.`);
  const zone: JsonObject = {
    ...cloneJson(body),
    kind: 'dns#managedZone',
    name,
    dnsName,
    description: stringField(body, 'description') ?? '',
    id: world.newId(),
    nameServers: servers,
    creationTime: new Date().toISOString(),
    visibility: stringField(body, 'visibility') ?? 'public',
  };
  world.put(path, zone);
  world.put(`${path}/rrsets/${rrsetKey(dnsName, 'SOA')}`, {
    kind: 'dns#resourceRecordSet',
    name: dnsName,
    type: 'SOA',
    ttl: 21600,
    rrdatas: [`${servers[0]} cloud-dns-hostmaster.google.com. 1 21600 3600 259200 300`],
  });
  world.put(`${path}/rrsets/${rrsetKey(dnsName, 'NS')}`, {
    kind: 'dns#resourceRecordSet',
    name: dnsName,
    type: 'NS',
    ttl: 21600,
    rrdatas: servers,
  });
  world.setMeta(path, { changeCounter: 0 });
  return zone;
}

/** Creates the seeded zones of a project the first time it is seen. */
export function seedZones(env: DnsEnvironment, project: string): void {
  const marker = `dns/seeded/${project}`;
  if (env.world.meta.has(marker)) return;
  for (const seed of env.seedZones) {
    if (seed.project !== undefined && seed.project !== project) continue;
    if (!env.world.get(zonePath(project, seed.name))) {
      createZone(env.world, project, {
        name: seed.name,
        dnsName: seed.dnsName,
        description: 'seeded by the GCE emulator',
      });
    }
  }
  env.world.setMeta(marker, { seeded: true });
}

function requireZone(world: World, project: string, zone: string): JsonObject {
  const found = world.get(zonePath(project, zone));
  if (!found) throw notFound(`projects/${project}/managedZones/${zone}`);
  return found;
}

function normaliseRrset(value: JsonObject, zone: JsonObject, where: string): JsonObject {
  checkFields(value, RRSET_FIELDS, where);
  const name = stringField(value, 'name');
  const type = stringField(value, 'type');
  if (!name) throw requiredField(`${where}.name`);
  if (!type) throw requiredField(`${where}.type`);
  const dnsName = String(zone.dnsName);
  if (!name.endsWith('.') || !(name === dnsName || name.endsWith(`.${dnsName}`))) {
    throw invalidField(`${where}.name`, name, `Must be within the zone's DNS name ${dnsName}.`);
  }
  return {
    kind: 'dns#resourceRecordSet',
    name,
    type,
    ttl: numberField(value, 'ttl') ?? 300,
    rrdatas: arrayField(value, 'rrdatas').map(String),
  };
}

function sameRrset(a: JsonObject, b: JsonObject): boolean {
  return a.ttl === b.ttl && JSON.stringify(a.rrdatas) === JSON.stringify(b.rrdatas);
}

function changeView(world: World, path: string): JsonObject {
  const change = world.require(path);
  const doneAt = numberField(world.metaOf(path), 'doneAt') ?? 0;
  return { ...change, status: Date.now() >= doneAt ? 'done' : 'pending' };
}

function applyChange(
  env: DnsEnvironment,
  project: string,
  zoneName: string,
  body: JsonObject,
): JsonObject {
  const world = env.world;
  const zone = requireZone(world, project, zoneName);
  const path = zonePath(project, zoneName);
  checkFields(body, CHANGE_FIELDS, 'entity.change');
  const deletions = arrayField(body, 'deletions')
    .filter(isJsonObject)
    .map((d, i) => normaliseRrset(d, zone, `entity.change.deletions[${i}]`));
  const additions = arrayField(body, 'additions')
    .filter(isJsonObject)
    .map((a, i) => normaliseRrset(a, zone, `entity.change.additions[${i}]`));
  if (deletions.length + additions.length === 0) throw requiredField('entity.change');
  const removed = new Set<string>();
  for (const [i, deletion] of deletions.entries()) {
    const key = `${path}/rrsets/${rrsetKey(String(deletion.name), String(deletion.type))}`;
    const current = world.get(key);
    if (!current) {
      throw new GceApiError(
        404,
        'notFound',
        `The 'entity.change.deletions[${i}]' resource named '${String(deletion.name)} (${String(deletion.type)})' does not exist.`,
        'NOT_FOUND',
      );
    }
    if (!sameRrset(current, deletion)) throw conditionNotMet(`entity.change.deletions[${i}]`);
    removed.add(key);
  }
  for (const [i, addition] of additions.entries()) {
    const key = `${path}/rrsets/${rrsetKey(String(addition.name), String(addition.type))}`;
    if (world.get(key) && !removed.has(key)) {
      throw new GceApiError(
        409,
        'alreadyExists',
        `The resource 'entity.change.additions[${i}]' named '${String(addition.name)} (${String(addition.type)})' already exists`,
        'ALREADY_EXISTS',
      );
    }
  }
  for (const key of removed) world.remove(key);
  for (const addition of additions) {
    world.put(`${path}/rrsets/${rrsetKey(String(addition.name), String(addition.type))}`, addition);
  }
  const counter = (numberField(world.metaOf(path), 'changeCounter') ?? 0) + 1;
  world.setMeta(path, { ...world.metaOf(path), changeCounter: counter });
  const changePath = `${path}/changes/${counter}`;
  world.put(changePath, {
    kind: 'dns#change',
    id: String(counter),
    additions,
    deletions,
    startTime: new Date().toISOString(),
    status: 'pending',
    isServing: true,
  });
  world.setMeta(changePath, {
    doneAt: Date.now() + operationLatencyMs('dns.changes', env.latencyScale),
  });
  return changeView(world, changePath);
}

function page(items: JsonObject[], query: URLSearchParams): { items: JsonObject[]; next?: string } {
  const max = Math.min(Number(query.get('maxResults') ?? 1000) || 1000, 1000);
  const offset =
    Number(Buffer.from(query.get('pageToken') ?? '', 'base64url').toString() || '0') || 0;
  const slice = items.slice(offset, offset + max);
  return offset + max < items.length
    ? { items: slice, next: Buffer.from(String(offset + max)).toString('base64url') }
    : { items: slice };
}

function listBody(
  kind: string,
  field: string,
  items: JsonObject[],
  query: URLSearchParams,
): JsonObject {
  const result = page(items, query);
  const body: JsonObject = { kind, [field]: result.items };
  if (result.next) body.nextPageToken = result.next;
  return body;
}

/** Handles one Cloud DNS request (`segments` are the path parts after `/dns/v1/`). */
export function handleDns(
  env: DnsEnvironment,
  method: string,
  segments: readonly string[],
  query: URLSearchParams,
  body: JsonObject | undefined,
): DnsReply {
  const [projects, project, managedZones, zoneName, sub, ...rest] = segments;
  if (projects !== 'projects' || !project || managedZones !== 'managedZones') {
    throw notFound(segments.join('/'));
  }
  seedZones(env, project);
  const world = env.world;
  const ok = (value: JsonObject): DnsReply => ({ status: 200, body: value });
  if (zoneName === undefined) {
    if (method === 'GET') {
      const dnsName = query.get('dnsName');
      const zones = world
        .list(`dns/projects/${project}/managedZones`)
        .filter((z) => !dnsName || z.dnsName === dnsName)
        .sort((a, b) => String(a.name).localeCompare(String(b.name)));
      return ok(listBody('dns#managedZonesListResponse', 'managedZones', zones, query));
    }
    if (method === 'POST') {
      if (!body) throw requiredField('entity.managedZone');
      checkFields(body, ZONE_FIELDS, 'entity.managedZone');
      return ok(createZone(world, project, body));
    }
  }
  const zone = requireZone(world, project, zoneName ?? '');
  const path = zonePath(project, zoneName ?? '');
  if (sub === undefined) {
    if (method === 'GET') return ok(zone);
    if (method === 'DELETE') {
      const records = world.list(`${path}/rrsets`);
      if (
        records.some((r) => !((r.type === 'SOA' || r.type === 'NS') && r.name === zone.dnsName))
      ) {
        throw new GceApiError(
          400,
          'containerNotEmpty',
          `The resource named '${zoneName ?? ''}' cannot be deleted because it is not empty`,
          'FAILED_PRECONDITION',
        );
      }
      for (const [p] of world.find(new RegExp(`^${path.replace(/[.]/g, '\\.')}/`))) world.remove(p);
      world.remove(path);
      return { status: 204, body: undefined };
    }
  }
  if (sub === 'changes') {
    if (method === 'POST' && rest.length === 0)
      return ok(applyChange(env, project, zoneName ?? '', body ?? {}));
    if (method === 'GET' && rest.length === 0) {
      const changes = world
        .list(`${path}/changes`)
        .map((c) => changeView(world, `${path}/changes/${String(c.id)}`))
        .sort((a, b) => Number(a.id) - Number(b.id));
      return ok(listBody('dns#changesListResponse', 'changes', changes, query));
    }
    if (method === 'GET' && rest.length === 1) {
      const changePath = `${path}/changes/${rest[0] ?? ''}`;
      if (!world.get(changePath)) throw notFound(`${zoneName ?? ''}/changes/${rest[0] ?? ''}`);
      return ok(changeView(world, changePath));
    }
  }
  if (sub === 'rrsets') {
    const [name, type] = rest;
    if (method === 'GET' && name === undefined) {
      const wantName = query.get('name');
      const wantType = query.get('type');
      const records = world
        .list(`${path}/rrsets`)
        .filter((r) => (!wantName || r.name === wantName) && (!wantType || r.type === wantType))
        .sort((a, b) =>
          `${String(a.name)} ${String(a.type)}`.localeCompare(
            `${String(b.name)} ${String(b.type)}`,
          ),
        );
      return ok(listBody('dns#resourceRecordSetsListResponse', 'rrsets', records, query));
    }
    if (method === 'POST' && name === undefined) {
      const record = normaliseRrset(body ?? {}, zone, 'entity.resourceRecordSet');
      applyChange(env, project, zoneName ?? '', { additions: [record] });
      return ok(record);
    }
    if (name !== undefined && type !== undefined) {
      const key = `${path}/rrsets/${rrsetKey(name, type)}`;
      const current = world.get(key);
      if (!current) throw notFound(`${zoneName ?? ''}/rrsets/${name}/${type}`);
      if (method === 'GET') return ok(current);
      if (method === 'DELETE') {
        applyChange(env, project, zoneName ?? '', { deletions: [current] });
        return ok({});
      }
      if (method === 'PATCH') {
        const next = normaliseRrset(
          { ...current, ...(body ?? {}) },
          zone,
          'entity.resourceRecordSet',
        );
        applyChange(env, project, zoneName ?? '', { deletions: [current], additions: [next] });
        return ok(next);
      }
    }
  }
  throw notFound(segments.join('/'));
}
