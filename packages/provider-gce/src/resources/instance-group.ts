import type { ResourceType } from '@hakoc/core';
import type { InstanceGroupManager } from '../compute-types.js';
import type { GceApi } from '../gce-api.js';
import {
  type GceState,
  gceResourceType,
  getOrUndefined,
  ignoreNotFound,
  type Listed,
} from '../gce-resource-type.js';
import { waitUntilGroupSettled } from '../group-settled.js';
import { labelsOfDescription, ownedDescription } from '../ownership.js';
import { requestIdFor } from '../request-id.js';
import { globalRef, nameOfRef, regionalRef, siteOf } from './site.js';

/** The resource type of the control-plane and worker groups. */
export const INSTANCE_GROUP_TYPE = 'gce.instanceGroup';

/** A named port of a group (what a backend service sends traffic to). */
export interface NamedPort {
  /** Port name. */
  readonly name: string;
  /** Port number. */
  readonly port: number;
}

/**
 * A regional managed instance group of identical machines: spread over zones, re-created by
 * GCE when its health check fails, rolled to a new template with surge and no unavailability.
 */
export interface InstanceGroupSpec {
  /** `controller` or `worker`. */
  readonly role: string;
  /** Name of the instance template (it ends in the content hash). */
  readonly template: string;
  /** Zones, sorted. */
  readonly zones: readonly string[];
  /** Fixed size; `null` when an autoscaler owns the size. */
  readonly fixedSize: number | null;
  /** Size at creation (the autoscaling minimum for autoscaled groups). */
  readonly initialSize: number;
  /** Name of the autohealing health check. */
  readonly healthCheck: string;
  /** Seconds a new machine gets to become healthy before autohealing may replace it. */
  readonly initialDelaySec: number;
  /** Named ports. */
  readonly namedPorts: readonly NamedPort[];
  /** Extra machines a rolling update may add (GCE wants 0 or at least one per zone). */
  readonly maxSurge: number;
  /** Machines a rolling update may take away. */
  readonly maxUnavailable: number;
}

const AUTOSCALED_NOTE = 'autoscaled';
const ROLLING_NOTE = ' (rolling)';

function listed(group: InstanceGroupManager): Listed<InstanceGroupSpec> {
  const labels = labelsOfDescription(group.description);
  const autoscaled = (group.description ?? '').endsWith(AUTOSCALED_NOTE);
  const healing = group.autoHealingPolicies?.[0];
  return {
    id: String(group.id ?? group.name ?? ''),
    name: group.name ?? '',
    labels,
    fields: {
      role: labels?.['hakoc-role'] ?? '',
      // A roll that has not reached every machine is not done: the next plan finishes it.
      template: `${nameOfRef(group.versions?.[0]?.instanceTemplate ?? group.instanceTemplate)}${
        group.status?.versionTarget?.isReached === false ? ROLLING_NOTE : ''
      }`,
      zones: (group.distributionPolicy?.zones ?? []).map((z) => nameOfRef(z.zone)).sort(),
      fixedSize: autoscaled ? null : (group.targetSize ?? 0),
      initialSize: 0,
      healthCheck: nameOfRef(healing?.healthCheck),
      initialDelaySec: healing?.initialDelaySec ?? 0,
      namedPorts: (group.namedPorts ?? []).map((p) => ({ name: p.name ?? '', port: p.port ?? 0 })),
      maxSurge: group.updatePolicy?.maxSurge?.fixed ?? 0,
      maxUnavailable: group.updatePolicy?.maxUnavailable?.fixed ?? 0,
    },
  };
}

/**
 * Regional managed instance groups for the control plane and the workers (no labels: a
 * description marker; the instances carry the template's labels). The template, autohealing,
 * named ports, update policy and a fixed size change in place; a template change starts a
 * proactive rolling update, and the update returns once the group has settled on the new
 * template (what depends on the group — the workers after the control plane — rolls after it).
 */
export function instanceGroupType(
  api: GceApi,
): ResourceType<InstanceGroupSpec, GceState<InstanceGroupSpec>> {
  const where = { project: api.project, region: api.region };
  const changeable = (spec: InstanceGroupSpec) => ({
    instanceTemplate: globalRef(api.project, 'instanceTemplates', spec.template),
    versions: [
      {
        name: 'current',
        instanceTemplate: globalRef(api.project, 'instanceTemplates', spec.template),
      },
    ],
    autoHealingPolicies: [
      {
        healthCheck: regionalRef(api.project, api.region, 'healthChecks', spec.healthCheck),
        initialDelaySec: spec.initialDelaySec,
      },
    ],
    namedPorts: spec.namedPorts.map((p) => ({ name: p.name, port: p.port })),
    updatePolicy: {
      type: 'PROACTIVE',
      minimalAction: 'REPLACE',
      replacementMethod: 'SUBSTITUTE',
      instanceRedistributionType: 'PROACTIVE',
      maxSurge: { fixed: spec.maxSurge },
      maxUnavailable: { fixed: spec.maxUnavailable },
    },
  });
  return gceResourceType<InstanceGroupSpec>({
    type: INSTANCE_GROUP_TYPE,
    immutable: ['role', 'zones'],
    replaceReason: 'the zones of a regional group are fixed at creation',
    createOnly: ['initialSize'],
    async list(signal) {
      const [items] = await api.call(siteOf('list', INSTANCE_GROUP_TYPE), signal, (c) =>
        c.regionInstanceGroupManagers.list(where),
      );
      // Etcd members are groups too, but of their own resource type.
      return items.map(listed).filter((g) => g.labels?.['hakoc-role'] !== 'etcd');
    },
    async get(signal, name) {
      const found = await getOrUndefined(
        api.call(siteOf('list', INSTANCE_GROUP_TYPE, name), signal, (c) =>
          c.regionInstanceGroupManagers.get({ ...where, instanceGroupManager: name }),
        ),
      );
      return found === undefined ? undefined : listed(found[0]);
    },
    async insert(ctx, { name, spec }) {
      const note = spec.fixedSize === null ? AUTOSCALED_NOTE : `${spec.fixedSize} machines`;
      await api.mutate(siteOf('create', INSTANCE_GROUP_TYPE, name), ctx.signal, (c) =>
        c.regionInstanceGroupManagers.insert({
          ...where,
          requestId: requestIdFor(ctx, 'insert'),
          instanceGroupManagerResource: {
            name,
            description: ownedDescription(ctx.owner, note, spec.role),
            baseInstanceName: name,
            targetSize: spec.fixedSize ?? spec.initialSize,
            distributionPolicy: {
              zones: spec.zones.map((zone) => ({ zone: `projects/${api.project}/zones/${zone}` })),
              targetShape: 'EVEN',
            },
            ...changeable(spec),
          },
        }),
      );
    },
    async update(ctx, current, { name, spec }, fields) {
      const site = siteOf('update', INSTANCE_GROUP_TYPE, name);
      if (fields.some((f) => f !== 'fixedSize')) {
        await api.mutate(site, ctx.signal, (c) =>
          c.regionInstanceGroupManagers.patch({
            ...where,
            instanceGroupManager: name,
            requestId: requestIdFor(ctx, 'patch'),
            instanceGroupManagerResource: changeable(spec),
          }),
        );
      }
      if (spec.fixedSize !== null && spec.fixedSize !== current.fields.fixedSize) {
        const size = spec.fixedSize;
        await api.mutate(site, ctx.signal, (c) =>
          c.regionInstanceGroupManagers.resize({
            ...where,
            instanceGroupManager: name,
            size,
            requestId: requestIdFor(ctx, 'resize'),
          }),
        );
      }
      if (fields.includes('template')) {
        await waitUntilGroupSettled(api, {
          group: name,
          site,
          signal: ctx.signal,
          progress: (message) => ctx.progress(message),
        });
      }
    },
    async remove(ctx, current) {
      await ignoreNotFound(
        api.mutate(siteOf('delete', INSTANCE_GROUP_TYPE, current.name), ctx.signal, (c) =>
          c.regionInstanceGroupManagers.delete({
            ...where,
            instanceGroupManager: current.name,
            requestId: requestIdFor(ctx, 'delete'),
          }),
        ),
      );
    },
  });
}
