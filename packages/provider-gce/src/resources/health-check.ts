import type { ResourceType } from '@hakoc/core';
import type { HealthCheck } from '../compute-types.js';
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
import { siteOf } from './site.js';

/** The resource type of regional health checks. */
export const HEALTH_CHECK_TYPE = 'gce.healthCheck';

/** An HTTP(S) health check: autohealing for a group, and the load balancer's probe. */
export interface HealthCheckSpec {
  /** `HTTPS` for the API server's `/readyz`, `HTTP` for kube-proxy's `/healthz`. */
  readonly type: 'HTTP' | 'HTTPS';
  /** Port probed. */
  readonly port: number;
  /** Path requested. */
  readonly requestPath: string;
  /** Seconds between probes. */
  readonly checkIntervalSec: number;
  /** Seconds a probe may take. */
  readonly timeoutSec: number;
  /** Successes before healthy. */
  readonly healthyThreshold: number;
  /** Failures before unhealthy. */
  readonly unhealthyThreshold: number;
}

function listed(check: HealthCheck): Listed<HealthCheckSpec> {
  const type = check.type === 'HTTPS' ? 'HTTPS' : 'HTTP';
  const probe = type === 'HTTPS' ? check.httpsHealthCheck : check.httpHealthCheck;
  return {
    id: String(check.id ?? check.name ?? ''),
    name: check.name ?? '',
    labels: labelsOfDescription(check.description),
    fields: {
      type,
      port: probe?.port ?? 0,
      requestPath: probe?.requestPath ?? '/',
      checkIntervalSec: check.checkIntervalSec ?? 5,
      timeoutSec: check.timeoutSec ?? 5,
      healthyThreshold: check.healthyThreshold ?? 2,
      unhealthyThreshold: check.unhealthyThreshold ?? 2,
    },
  };
}

function body(spec: HealthCheckSpec): HealthCheck {
  const probe = { port: spec.port, requestPath: spec.requestPath };
  return {
    type: spec.type,
    ...(spec.type === 'HTTPS' ? { httpsHealthCheck: probe } : { httpHealthCheck: probe }),
    checkIntervalSec: spec.checkIntervalSec,
    timeoutSec: spec.timeoutSec,
    healthyThreshold: spec.healthyThreshold,
    unhealthyThreshold: spec.unhealthyThreshold,
  };
}

/** Regional health checks (no labels: a description marker). The protocol is fixed. */
export function healthCheckType(
  api: GceApi,
): ResourceType<HealthCheckSpec, GceState<HealthCheckSpec>> {
  const where = { project: api.project, region: api.region };
  return gceResourceType<HealthCheckSpec>({
    type: HEALTH_CHECK_TYPE,
    immutable: ['type'],
    replaceReason: 'hakoc does not switch a health check between HTTP and HTTPS in place',
    async list(signal) {
      const [items] = await api.call(siteOf('list', HEALTH_CHECK_TYPE), signal, (c) =>
        c.regionHealthChecks.list(where),
      );
      return items.map(listed);
    },
    async get(signal, name) {
      const found = await getOrUndefined(
        api.call(siteOf('list', HEALTH_CHECK_TYPE, name), signal, (c) =>
          c.regionHealthChecks.get({ ...where, healthCheck: name }),
        ),
      );
      return found === undefined ? undefined : listed(found[0]);
    },
    async insert(ctx, { name, spec }) {
      await api.mutate(siteOf('create', HEALTH_CHECK_TYPE, name), ctx.signal, (c) =>
        c.regionHealthChecks.insert({
          ...where,
          requestId: requestIdFor(ctx, 'insert'),
          healthCheckResource: {
            name,
            description: ownedDescription(
              ctx.owner,
              `${spec.type} ${spec.port}${spec.requestPath}`,
            ),
            ...body(spec),
          },
        }),
      );
    },
    async update(ctx, _current, { name, spec }) {
      await api.mutate(siteOf('update', HEALTH_CHECK_TYPE, name), ctx.signal, (c) =>
        c.regionHealthChecks.patch({
          ...where,
          healthCheck: name,
          requestId: requestIdFor(ctx, 'patch'),
          healthCheckResource: body(spec),
        }),
      );
    },
    async remove(ctx, current) {
      await ignoreNotFound(
        api.mutate(siteOf('delete', HEALTH_CHECK_TYPE, current.name), ctx.signal, (c) =>
          c.regionHealthChecks.delete({
            ...where,
            healthCheck: current.name,
            requestId: requestIdFor(ctx, 'delete'),
          }),
        ),
      );
    },
  });
}
