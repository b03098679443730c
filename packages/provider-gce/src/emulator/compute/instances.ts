import { regionOfZone } from '../catalog.js';
import { checkName, defineCollection, requireBody, resourcePath } from '../collection.js';
import { type HandlerContext, mutate, type Reply } from '../context.js';
import { badPayload, conditionNotMet, requiredField } from '../errors.js';
import { arrayField, isJsonObject, type JsonObject, objectField, stringField } from '../json.js';
import type { OperationError } from '../operations.js';
import { refToPath } from '../paths.js';
import { fingerprintOf } from '../world.js';
import { getGuestAttributes, metadataItems } from './guest-attributes.js';
import { buildInstance, instanceDeletion, storeInstance } from './instance-factory.js';

function insert(ctx: HandlerContext): Reply {
  const body = requireBody(ctx);
  const name = checkName(body.name);
  if (ctx.scope.kind !== 'zone') throw badPayload('instances are zonal');
  const zone = ctx.scope.name;
  const region = regionOfZone(zone) ?? '';
  const world = ctx.env.world;
  const templateRef = ctx.query.get('sourceInstanceTemplate');
  let properties = body;
  if (templateRef) {
    const template = world.require(refToPath(templateRef, ctx.project));
    properties = { ...objectField(template, 'properties'), ...body };
  }
  const built = buildInstance(world, { project: ctx.project, zone, name, properties }, region);
  const quotas = ctx.env.quotas;
  const error: OperationError | undefined =
    quotas.checkRegion(world, ctx.project, region, 'CPUS', built.usage.cpus) ??
    quotas.checkRegion(world, ctx.project, region, 'INSTANCES', 1) ??
    quotas.checkRegion(world, ctx.project, region, 'IN_USE_ADDRESSES', built.usage.externalIps) ??
    quotas.checkRegion(
      world,
      ctx.project,
      region,
      'DISKS_TOTAL_GB',
      built.usage.diskGb.DISKS_TOTAL_GB,
    ) ??
    quotas.checkRegion(world, ctx.project, region, 'SSD_TOTAL_GB', built.usage.diskGb.SSD_TOTAL_GB);
  return mutate(
    ctx,
    {
      scope: ctx.scope,
      operationType: 'insert',
      targetPath: built.path,
      latencyKey: 'instances.insert',
      effects: built.effects,
      ...(error ? { error } : {}),
    },
    () => storeInstance(world, built),
  );
}

function remove(ctx: HandlerContext): Reply {
  const path = resourcePath(ctx);
  const world = ctx.env.world;
  const instance = world.require(path);
  // A MIG member deleted from outside is re-created by its MIG; stateful disks stay behind.
  const owner = world.metaOf(path).mig;
  const keep = new Set<string>();
  if (typeof owner === 'string') {
    const identity = objectField(objectField(world.metaOf(owner), 'identities'), ctx.name ?? '');
    for (const disk of Object.values(objectField(identity, 'disks'))) {
      if (typeof disk === 'string') keep.add(disk);
    }
  }
  const plan = instanceDeletion(world, path, instance, keep);
  return mutate(
    ctx,
    {
      scope: ctx.scope,
      operationType: 'delete',
      targetPath: path,
      latencyKey: 'instances.delete',
      effects: plan.effects,
    },
    plan.apply,
  );
}

/**
 * `setMetadata`: replaces the instance's metadata items, guarded by their fingerprint as on GCE
 * (a stale or missing one is refused), and tells the guest hooks, as the VM's metadata server
 * would tell the software waiting on it.
 */
function setMetadata(ctx: HandlerContext): Reply {
  const path = resourcePath(ctx);
  const world = ctx.env.world;
  const before = world.require(path);
  const body = requireBody(ctx);
  const given = stringField(body, 'fingerprint');
  if (given === undefined) throw requiredField('metadata.fingerprint');
  if (given !== stringField(objectField(before, 'metadata'), 'fingerprint')) {
    throw conditionNotMet(`${path} metadata`);
  }
  const items = arrayField(body, 'items')
    .filter(isJsonObject)
    .map((item) => ({
      key: stringField(item, 'key') ?? '',
      value: stringField(item, 'value') ?? '',
    }));
  const next: JsonObject = {
    ...before,
    metadata: { kind: 'compute#metadata', fingerprint: fingerprintOf({ items }), items },
  };
  return mutate(
    ctx,
    {
      scope: ctx.scope,
      operationType: 'setMetadata',
      targetPath: path,
      latencyKey: 'instances.setMetadata',
    },
    () => {
      world.put(path, next);
      ctx.env.guests.metadataChanged({ path, items: metadataItems(next) });
    },
  );
}

const standard = defineCollection({
  collection: 'instances',
  kind: 'compute#instance',
  labels: true,
});

/**
 * VM instances (zonal): insert (from a body or `sourceInstanceTemplate`), get, list, delete,
 * setLabels, setMetadata, getGuestAttributes. Creating one checks the regional CPU, instance,
 * address and disk quotas.
 */
export const instances = {
  get: standard.get,
  list: standard.list,
  insert,
  delete: remove,
  verbs: { ...standard.verbs, setMetadata, getGuestAttributes },
};
