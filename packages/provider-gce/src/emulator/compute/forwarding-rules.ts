import { defineCollection } from '../collection.js';
import type { HandlerContext } from '../context.js';
import { invalidField } from '../errors.js';
import { ipToNumber } from '../ipam.js';
import type { JsonObject } from '../json.js';
import { stringField } from '../json.js';
import { refToPath, selfLinkOf } from '../paths.js';
import { requireRef } from '../references.js';
import type { Effect } from '../state.js';

/** The reserved address a rule's `IPAddress` names (by link or by literal IP), if any. */
function reservedAddress(ctx: HandlerContext, ipAddress: string): string | undefined {
  if (ipToNumber(ipAddress) === undefined) {
    return requireRef(ctx.env.world, ipAddress, ctx.project);
  }
  const region = ctx.scope.kind === 'region' ? ctx.scope.name : '';
  const match = ctx.env.world
    .list(`projects/${ctx.project}/regions/${region}/addresses`)
    .find((a) => a.address === ipAddress);
  return match ? refToPath(String(match.selfLink), ctx.project) : undefined;
}

function prepare(ctx: HandlerContext, rule: JsonObject, path: string): void {
  const world = ctx.env.world;
  rule.IPProtocol = stringField(rule, 'IPProtocol') ?? 'TCP';
  rule.loadBalancingScheme = stringField(rule, 'loadBalancingScheme') ?? 'EXTERNAL';
  rule.networkTier = stringField(rule, 'networkTier') ?? 'PREMIUM';
  for (const field of ['backendService', 'target', 'network', 'subnetwork']) {
    const ref = stringField(rule, field);
    if (ref) rule[field] = selfLinkOf(requireRef(world, ref, ctx.project));
  }
  if (!rule.backendService && !rule.target) {
    throw invalidField('resource.target', '', 'Either target or backendService must be set.');
  }
  const ipAddress = stringField(rule, 'IPAddress');
  const addressPath = ipAddress ? reservedAddress(ctx, ipAddress) : undefined;
  if (addressPath) {
    const address = world.require(addressPath);
    if (address.status === 'IN_USE') {
      throw invalidField('resource.IPAddress', ipAddress ?? '', 'The address is already in use.');
    }
    rule.IPAddress = stringField(address, 'address') ?? '';
    // An injected failed operation changes nothing, the address included (found by the fault
    // storms: a failed insert left the address in use, and every later insert was refused).
    if (!ctx.operationFault)
      world.merge(addressPath, { status: 'IN_USE', users: [selfLinkOf(path)] });
  } else if (!ipAddress) {
    rule.IPAddress = world.nextExternalIp();
  }
}

function releaseAddress(ctx: HandlerContext, rule: JsonObject): Effect[] {
  const region = ctx.scope.kind === 'region' ? ctx.scope.name : '';
  return ctx.env.world
    .list(`projects/${ctx.project}/regions/${region}/addresses`)
    .filter((a) => a.address === rule.IPAddress && a.status === 'IN_USE')
    .map((a) => ({
      kind: 'merge' as const,
      path: refToPath(String(a.selfLink), ctx.project),
      fields: { status: 'RESERVED', users: [] },
    }));
}

/**
 * Regional forwarding rules: the front of the passthrough load balancer. A rule given a reserved
 * address (by link or IP) marks it `IN_USE`; deleting the rule releases it.
 */
export const forwardingRules = defineCollection({
  collection: 'forwardingRules',
  kind: 'compute#forwardingRule',
  labels: true,
  fingerprint: true,
  prepare,
  quota: (ctx, rule) =>
    ctx.scope.kind === 'region' && rule.loadBalancingScheme === 'EXTERNAL'
      ? ctx.env.quotas.checkRegion(
          ctx.env.world,
          ctx.project,
          ctx.scope.name,
          'IN_USE_ADDRESSES',
          1,
        )
      : undefined,
  onDelete: (ctx, path, rule) => ({
    effects: [{ kind: 'delete', path }, ...releaseAddress(ctx, rule)],
  }),
});
