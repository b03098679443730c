import { defineCollection } from '../collection.js';
import { invalidField, requiredField } from '../errors.js';
import { isJsonObject, stringField } from '../json.js';

const SUB_OBJECT: Readonly<Record<string, string>> = {
  TCP: 'tcpHealthCheck',
  SSL: 'sslHealthCheck',
  HTTP: 'httpHealthCheck',
  HTTPS: 'httpsHealthCheck',
  HTTP2: 'http2HealthCheck',
  GRPC: 'grpcHealthCheck',
  GRPC_WITH_TLS: 'grpcTlsHealthCheck',
};

/**
 * Health checks, global and regional. GCE requires the sub-object matching `type`
 * (`httpsHealthCheck` for `HTTPS`) and fills GCE's defaults: 5 s interval and timeout,
 * 2 healthy / 2 unhealthy. Health checks carry no labels.
 */
export const healthChecks = defineCollection({
  collection: 'healthChecks',
  kind: 'compute#healthCheck',
  prepare(_ctx, check) {
    const type = stringField(check, 'type');
    if (!type) throw requiredField('resource.type');
    const field = SUB_OBJECT[type];
    if (!field) throw invalidField('resource.type', type, 'Unknown health check type.');
    if (!isJsonObject(check[field])) throw requiredField(`resource.${field}`);
    check.checkIntervalSec = check.checkIntervalSec ?? 5;
    check.timeoutSec = check.timeoutSec ?? 5;
    check.healthyThreshold = check.healthyThreshold ?? 2;
    check.unhealthyThreshold = check.unhealthyThreshold ?? 2;
  },
  quota: (ctx) => ctx.env.quotas.checkProject(ctx.env.world, ctx.project, 'HEALTH_CHECKS', 1),
});
