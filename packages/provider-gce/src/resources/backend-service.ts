import type { ResourceType } from '@hakoc/core';
import type { BackendService } from '../compute-types.js';
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
import { globalRef, nameOfRef, regionalRef, siteOf } from './site.js';

/** The resource type of regional backend services. */
export const BACKEND_SERVICE_TYPE = 'gce.backendService';

/** The backend of the passthrough TCP load balancer in front of the API servers. */
export interface BackendServiceSpec {
  /** `EXTERNAL` (passthrough network LB) or `INTERNAL` (internal passthrough LB). */
  readonly loadBalancingScheme: 'EXTERNAL' | 'INTERNAL';
  /** Name of the regional health check. */
  readonly healthCheck: string;
  /** Names of the regional managed instance groups behind it. */
  readonly groups: readonly string[];
  /** The VPC network (internal load balancers only; `''` otherwise). */
  readonly network: string;
}

function listed(service: BackendService): Listed<BackendServiceSpec> {
  return {
    id: String(service.id ?? service.name ?? ''),
    name: service.name ?? '',
    labels: labelsOfDescription(service.description),
    fields: {
      loadBalancingScheme: service.loadBalancingScheme === 'INTERNAL' ? 'INTERNAL' : 'EXTERNAL',
      healthCheck: nameOfRef(service.healthChecks?.[0]),
      groups: (service.backends ?? []).map((b) => nameOfRef(b.group)),
      network: nameOfRef(service.network),
    },
  };
}

/**
 * Regional backend services with TCP passthrough (no labels: a description marker). Health check
 * and backends change in place; the scheme and network cannot.
 */
export function backendServiceType(
  api: GceApi,
): ResourceType<BackendServiceSpec, GceState<BackendServiceSpec>> {
  const where = { project: api.project, region: api.region };
  const changeable = (spec: BackendServiceSpec) => ({
    healthChecks: [regionalRef(api.project, api.region, 'healthChecks', spec.healthCheck)],
    backends: spec.groups.map((group) => ({
      group: regionalRef(api.project, api.region, 'instanceGroups', group),
      balancingMode: 'CONNECTION',
    })),
  });
  return gceResourceType<BackendServiceSpec>({
    type: BACKEND_SERVICE_TYPE,
    immutable: ['loadBalancingScheme', 'network'],
    replaceReason: 'the load-balancing scheme and network of a backend service are fixed',
    async list(signal) {
      const [items] = await api.call(siteOf('list', BACKEND_SERVICE_TYPE), signal, (c) =>
        c.regionBackendServices.list(where),
      );
      return items.map(listed);
    },
    async get(signal, name) {
      const found = await getOrUndefined(
        api.call(siteOf('list', BACKEND_SERVICE_TYPE, name), signal, (c) =>
          c.regionBackendServices.get({ ...where, backendService: name }),
        ),
      );
      return found === undefined ? undefined : listed(found[0]);
    },
    async insert(ctx, { name, spec }) {
      await api.mutate(siteOf('create', BACKEND_SERVICE_TYPE, name), ctx.signal, (c) =>
        c.regionBackendServices.insert({
          ...where,
          requestId: requestIdFor(ctx, 'insert'),
          backendServiceResource: {
            name,
            description: ownedDescription(ctx.owner, 'API servers behind the load balancer'),
            loadBalancingScheme: spec.loadBalancingScheme,
            protocol: 'TCP',
            ...(spec.network === ''
              ? {}
              : { network: globalRef(api.project, 'networks', spec.network) }),
            ...changeable(spec),
          },
        }),
      );
    },
    async update(ctx, _current, { name, spec }) {
      await api.mutate(siteOf('update', BACKEND_SERVICE_TYPE, name), ctx.signal, (c) =>
        c.regionBackendServices.patch({
          ...where,
          backendService: name,
          requestId: requestIdFor(ctx, 'patch'),
          backendServiceResource: changeable(spec),
        }),
      );
    },
    async remove(ctx, current) {
      await ignoreNotFound(
        api.mutate(siteOf('delete', BACKEND_SERVICE_TYPE, current.name), ctx.signal, (c) =>
          c.regionBackendServices.delete({
            ...where,
            backendService: current.name,
            requestId: requestIdFor(ctx, 'delete'),
          }),
        ),
      );
    },
  });
}
