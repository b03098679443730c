import { defineCollection } from '../collection.js';
import { arrayField, stringField } from '../json.js';
import { selfLinkOf } from '../paths.js';
import { requireRef } from '../references.js';

/**
 * Target pools (regional, the legacy network load balancer backend). Kept for completeness:
 * Google recommends backend services for new passthrough load balancers.
 */
export const targetPools = defineCollection({
  collection: 'targetPools',
  kind: 'compute#targetPool',
  prepare(ctx, pool) {
    pool.healthChecks = arrayField(pool, 'healthChecks').map((ref) =>
      selfLinkOf(requireRef(ctx.env.world, String(ref), ctx.project)),
    );
    pool.instances = arrayField(pool, 'instances').map((ref) =>
      selfLinkOf(requireRef(ctx.env.world, String(ref), ctx.project)),
    );
    pool.sessionAffinity = stringField(pool, 'sessionAffinity') ?? 'NONE';
  },
});
