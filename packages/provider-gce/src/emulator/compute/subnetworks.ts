import { defineCollection } from '../collection.js';
import { invalidField, requiredField } from '../errors.js';
import { cidrsOverlap, numberToIp, parseCidr } from '../ipam.js';
import { stringField } from '../json.js';
import { refToPath, selfLinkOf } from '../paths.js';
import { requireRef } from '../references.js';

/** Subnetworks (regional): a primary range inside a network, not overlapping its siblings. */
export const subnetworks = defineCollection({
  collection: 'subnetworks',
  kind: 'compute#subnetwork',
  fingerprint: true,
  prepare(ctx, subnet, path) {
    const networkRef = stringField(subnet, 'network');
    if (!networkRef) throw requiredField('resource.network');
    const networkPath = requireRef(ctx.env.world, networkRef, ctx.project);
    const range = stringField(subnet, 'ipCidrRange');
    if (!range) throw requiredField('resource.ipCidrRange');
    const cidr = parseCidr(range);
    for (const [otherPath, other] of ctx.env.world.find(
      new RegExp(`^projects/${ctx.project}/regions/[^/]+/subnetworks/[^/]+$`),
    )) {
      if (otherPath === path) continue;
      if (refToPath(stringField(other, 'network') ?? '', ctx.project) !== networkPath) continue;
      if (cidrsOverlap(cidr, parseCidr(stringField(other, 'ipCidrRange') ?? '0.0.0.0/8'))) {
        throw invalidField(
          'resource.ipCidrRange',
          range,
          `Invalid IPCidrRange: ${range} conflicts with existing subnetwork '${otherPath.split('/').pop()}'.`,
        );
      }
    }
    subnet.network = selfLinkOf(networkPath);
    subnet.gatewayAddress = numberToIp(cidr.base + 1);
    subnet.privateIpGoogleAccess = subnet.privateIpGoogleAccess === true;
    subnet.purpose = stringField(subnet, 'purpose') ?? 'PRIVATE';
    subnet.stackType = stringField(subnet, 'stackType') ?? 'IPV4_ONLY';
  },
  quota: (ctx) => ctx.env.quotas.checkProject(ctx.env.world, ctx.project, 'SUBNETWORKS', 1),
});
