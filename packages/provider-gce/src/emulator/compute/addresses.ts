import { defineCollection } from '../collection.js';
import type { HandlerContext } from '../context.js';
import { inUse, invalidField, requiredField } from '../errors.js';
import { allocateInternalIp, ipTaken } from '../ipam.js';
import { arrayField, type JsonObject, stringField } from '../json.js';
import { selfLinkOf } from '../paths.js';
import { requireRef } from '../references.js';

function prepare(ctx: HandlerContext, address: JsonObject): void {
  const type = stringField(address, 'addressType') ?? 'EXTERNAL';
  address.addressType = type;
  address.status = 'RESERVED';
  address.ipVersion = stringField(address, 'ipVersion') ?? 'IPV4';
  if (type === 'EXTERNAL') {
    address.networkTier = stringField(address, 'networkTier') ?? 'PREMIUM';
    address.address = stringField(address, 'address') ?? ctx.env.world.nextExternalIp();
    return;
  }
  const subnetRef = stringField(address, 'subnetwork');
  if (ctx.scope.kind !== 'region' || !subnetRef) {
    if (ctx.scope.kind === 'region') throw requiredField('resource.subnetwork');
    return;
  }
  const subnetPath = requireRef(ctx.env.world, subnetRef, ctx.project);
  address.subnetwork = selfLinkOf(subnetPath);
  address.purpose = stringField(address, 'purpose') ?? 'GCE_ENDPOINT';
  const wanted = stringField(address, 'address');
  if (wanted && ipTaken(ctx.env.world, ctx.project, wanted)) {
    throw invalidField('resource.address', wanted, 'IP address is already in use.');
  }
  address.address = wanted ?? allocateInternalIp(ctx.env.world, ctx.project, subnetPath);
}

function onDelete(_ctx: HandlerContext, path: string, address: JsonObject) {
  const users = arrayField(address, 'users');
  if (address.status === 'IN_USE' && users.length > 0) throw inUse(path, String(users[0]));
  return { effects: [{ kind: 'delete' as const, path }] };
}

/**
 * Static addresses, regional (external, or internal inside a subnetwork). An address a
 * forwarding rule uses is `IN_USE` and cannot be deleted until the rule is gone.
 */
export const addresses = defineCollection({
  collection: 'addresses',
  kind: 'compute#address',
  labels: true,
  prepare,
  onDelete,
  quota: (ctx, address) =>
    ctx.scope.kind === 'region'
      ? ctx.env.quotas.checkRegion(
          ctx.env.world,
          ctx.project,
          ctx.scope.name,
          address.addressType === 'INTERNAL' ? 'INTERNAL_ADDRESSES' : 'STATIC_ADDRESSES',
          1,
        )
      : undefined,
});

/** Global static addresses (for global load balancers). */
export const globalAddresses = defineCollection({
  collection: 'addresses',
  kind: 'compute#address',
  latencyKey: 'globalAddresses',
  labels: true,
  prepare,
  onDelete,
  quota: (ctx) => ctx.env.quotas.checkProject(ctx.env.world, ctx.project, 'STATIC_ADDRESSES', 1),
});
