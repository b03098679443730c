import { defineCollection, resourcePath } from '../collection.js';
import { type HandlerContext, ok } from '../context.js';
import { notFound } from '../errors.js';
import { arrayField, isJsonObject, type JsonObject, stringField } from '../json.js';
import { nameOf, refToPath, selfLinkOf } from '../paths.js';
import { requireRef } from '../references.js';

/** The MIG behind an instance-group URL (`regions/r/instanceGroups/name`), or a 404. */
export function requireInstanceGroup(ctx: HandlerContext, ref: string): string {
  const path = refToPath(ref, ctx.project);
  const match = /^(projects\/[^/]+\/(?:regions|zones)\/[^/]+)\/instanceGroups\/([^/]+)$/.exec(path);
  const migPath = match ? `${match[1]}/instanceGroupManagers/${match[2]}` : undefined;
  if (!migPath || !ctx.env.world.get(migPath)) throw notFound(path);
  return path;
}

function checkReferences(ctx: HandlerContext, service: JsonObject): void {
  service.healthChecks = arrayField(service, 'healthChecks').map((ref) =>
    selfLinkOf(requireRef(ctx.env.world, String(ref), ctx.project)),
  );
  for (const backend of arrayField(service, 'backends').filter(isJsonObject)) {
    const group = stringField(backend, 'group');
    if (group) backend.group = selfLinkOf(requireInstanceGroup(ctx, group));
    backend.balancingMode = stringField(backend, 'balancingMode') ?? 'CONNECTION';
  }
  const network = stringField(service, 'network');
  if (network) service.network = selfLinkOf(requireRef(ctx.env.world, network, ctx.project));
}

const standard = defineCollection({
  collection: 'backendServices',
  kind: 'compute#backendService',
  fingerprint: true,
  prepare(ctx, service) {
    checkReferences(ctx, service);
    service.loadBalancingScheme = stringField(service, 'loadBalancingScheme') ?? 'EXTERNAL';
    service.protocol = stringField(service, 'protocol') ?? 'TCP';
    service.sessionAffinity = stringField(service, 'sessionAffinity') ?? 'NONE';
    service.timeoutSec = service.timeoutSec ?? 30;
    service.connectionDraining = service.connectionDraining ?? { drainingTimeoutSec: 300 };
  },
  afterChange: (ctx, service) => checkReferences(ctx, service),
  quota: (ctx) => ctx.env.quotas.checkProject(ctx.env.world, ctx.project, 'BACKEND_SERVICES', 1),
});

/**
 * Backend services (regional, for the passthrough load balancer in front of the API servers).
 * `getHealth` lists every member of the group: `HEALTHY` while its instance is `RUNNING`,
 * `UNHEALTHY` otherwise (starting, stopping, terminated). The emulator runs no probes, so a
 * running machine whose API server would fail its check still counts as healthy.
 */
export const backendServices = {
  ...standard,
  verbs: {
    getHealth(ctx: HandlerContext) {
      const service = ctx.env.world.require(resourcePath(ctx));
      const group = stringField(ctx.body ?? {}, 'group') ?? '';
      const groupPath = requireInstanceGroup(ctx, group);
      const migSelfLink = selfLinkOf(
        groupPath.replace('/instanceGroups/', '/instanceGroupManagers/'),
      );
      const healthStatus = ctx.env.world
        .find(/^projects\/[^/]+\/zones\/[^/]+\/instances\/[^/]+$/)
        .filter(([path]) => ctx.env.world.metaOf(path).mig === refToPath(migSelfLink, ctx.project))
        .map(([, instance]) => {
          const nic = arrayField(instance, 'networkInterfaces').find(isJsonObject);
          return {
            instance: String(instance.selfLink),
            ipAddress: nic ? (stringField(nic, 'networkIP') ?? '') : '',
            port: Number(service.port ?? 0) || 0,
            healthState: instance.status === 'RUNNING' ? 'HEALTHY' : 'UNHEALTHY',
          };
        });
      return ok({
        kind: 'compute#backendServiceGroupHealth',
        healthStatus: healthStatus.sort((a, b) =>
          nameOf(a.instance).localeCompare(nameOf(b.instance)),
        ),
      });
    },
  },
};
