import { defineCollection } from '../collection.js';
import type { HandlerContext } from '../context.js';
import { invalidField, requiredField } from '../errors.js';
import { type JsonObject, numberField, objectField, stringField } from '../json.js';
import { selfLinkOf } from '../paths.js';
import { requireRef } from '../references.js';
import { policyDisks } from './mig-model.js';

function checkPolicy(ctx: HandlerContext, autoscaler: JsonObject): void {
  const target = stringField(autoscaler, 'target');
  if (!target) throw requiredField('resource.target');
  const migPath = requireRef(ctx.env.world, target, ctx.project);
  if (policyDisks(ctx.env.world.require(migPath)).length > 0) {
    throw invalidField(
      'resource.target',
      target,
      'Autoscaling is not supported for stateful managed instance groups.',
    );
  }
  autoscaler.target = selfLinkOf(migPath);
  const policy = objectField(autoscaler, 'autoscalingPolicy');
  const max = numberField(policy, 'maxNumReplicas');
  if (max === undefined) throw requiredField('resource.autoscalingPolicy.maxNumReplicas');
  const min = numberField(policy, 'minNumReplicas') ?? 1;
  if (min < 0 || max < 1 || min > max) {
    throw invalidField(
      'resource.autoscalingPolicy.minNumReplicas',
      String(min),
      'minNumReplicas must be between 0 and maxNumReplicas.',
    );
  }
  autoscaler.autoscalingPolicy = {
    coolDownPeriodSec: 60,
    mode: 'ON',
    cpuUtilization: { utilizationTarget: 0.6, predictiveMethod: 'NONE' },
    ...policy,
    minNumReplicas: min,
    maxNumReplicas: max,
  };
}

/**
 * Regional autoscalers. `patch` and `update` name the autoscaler in the `autoscaler` query
 * parameter, as GCE's API does; the router maps that onto the resource name.
 */
export const autoscalers = defineCollection({
  collection: 'autoscalers',
  kind: 'compute#autoscaler',
  prepare(ctx, autoscaler) {
    checkPolicy(ctx, autoscaler);
    autoscaler.status = 'PENDING';
  },
  afterChange: (ctx, autoscaler) => checkPolicy(ctx, autoscaler),
  quota: (ctx) =>
    ctx.scope.kind === 'region'
      ? ctx.env.quotas.checkRegion(
          ctx.env.world,
          ctx.project,
          ctx.scope.name,
          'REGIONAL_AUTOSCALERS',
          1,
        )
      : undefined,
});
