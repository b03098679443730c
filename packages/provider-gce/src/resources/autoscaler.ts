import type { ResourceType } from '@hakoc/core';
import type { Autoscaler } from '../compute-types.js';
import type { GceApi } from '../gce-api.js';
import {
  type GceState,
  gceResourceType,
  getOrUndefined,
  ignoreNotFound,
  type Listed,
} from '../gce-resource-type.js';
import { labelsOfDescription, ownedDescription } from '../ownership.js';
import { requestIdFor } from '../request-id.js';
import { nameOfRef, regionalRef, siteOf } from './site.js';

/** The resource type of regional autoscalers. */
export const AUTOSCALER_TYPE = 'gce.autoscaler';

/** A regional autoscaler scaling a group on average CPU utilisation. */
export interface AutoscalerSpec {
  /** Name of the managed instance group it scales. */
  readonly target: string;
  /** Fewest instances. */
  readonly minNumReplicas: number;
  /** Most instances. */
  readonly maxNumReplicas: number;
  /** Average CPU utilisation (0–1) aimed for. */
  readonly cpuUtilizationTarget: number;
  /** Seconds a new instance gets before its load counts. */
  readonly coolDownPeriodSec: number;
}

function listed(autoscaler: Autoscaler): Listed<AutoscalerSpec> {
  const policy = autoscaler.autoscalingPolicy;
  return {
    id: String(autoscaler.id ?? autoscaler.name ?? ''),
    name: autoscaler.name ?? '',
    labels: labelsOfDescription(autoscaler.description),
    fields: {
      target: nameOfRef(autoscaler.target),
      minNumReplicas: policy?.minNumReplicas ?? 0,
      maxNumReplicas: policy?.maxNumReplicas ?? 0,
      cpuUtilizationTarget: policy?.cpuUtilization?.utilizationTarget ?? 0,
      coolDownPeriodSec: policy?.coolDownPeriodSec ?? 0,
    },
  };
}

function policyOf(spec: AutoscalerSpec) {
  return {
    mode: 'ON',
    minNumReplicas: spec.minNumReplicas,
    maxNumReplicas: spec.maxNumReplicas,
    coolDownPeriodSec: spec.coolDownPeriodSec,
    cpuUtilization: { utilizationTarget: spec.cpuUtilizationTarget },
  };
}

/** Regional autoscalers (no labels: a description marker). Bounds and target change in place. */
export function autoscalerType(
  api: GceApi,
): ResourceType<AutoscalerSpec, GceState<AutoscalerSpec>> {
  const where = { project: api.project, region: api.region };
  return gceResourceType<AutoscalerSpec>({
    type: AUTOSCALER_TYPE,
    immutable: ['target'],
    replaceReason: 'an autoscaler scales one group for its whole life',
    async list(signal) {
      const [items] = await api.call(siteOf('list', AUTOSCALER_TYPE), signal, (c) =>
        c.regionAutoscalers.list(where),
      );
      return items.map(listed);
    },
    async get(signal, name) {
      const found = await getOrUndefined(
        api.call(siteOf('list', AUTOSCALER_TYPE, name), signal, (c) =>
          c.regionAutoscalers.get({ ...where, autoscaler: name }),
        ),
      );
      return found === undefined ? undefined : listed(found[0]);
    },
    async insert(ctx, { name, spec }) {
      await api.mutate(siteOf('create', AUTOSCALER_TYPE, name), ctx.signal, (c) =>
        c.regionAutoscalers.insert({
          ...where,
          requestId: requestIdFor(ctx, 'insert'),
          autoscalerResource: {
            name,
            description: ownedDescription(ctx.owner, `scales ${spec.target}`),
            target: regionalRef(api.project, api.region, 'instanceGroupManagers', spec.target),
            autoscalingPolicy: policyOf(spec),
          },
        }),
      );
    },
    async update(ctx, _current, { name, spec }) {
      await api.mutate(siteOf('update', AUTOSCALER_TYPE, name), ctx.signal, (c) =>
        c.regionAutoscalers.patch({
          ...where,
          autoscaler: name,
          requestId: requestIdFor(ctx, 'patch'),
          autoscalerResource: { name, autoscalingPolicy: policyOf(spec) },
        }),
      );
    },
    async remove(ctx, current) {
      await ignoreNotFound(
        api.mutate(siteOf('delete', AUTOSCALER_TYPE, current.name), ctx.signal, (c) =>
          c.regionAutoscalers.delete({
            ...where,
            autoscaler: current.name,
            requestId: requestIdFor(ctx, 'delete'),
          }),
        ),
      );
    },
  });
}
