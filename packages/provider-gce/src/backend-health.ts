import type { GceApi } from './gce-api.js';
import { getOrUndefined } from './gce-resource-type.js';
import { BACKEND_SERVICE_TYPE } from './resources/backend-service.js';
import { nameOfRef, siteOf } from './resources/site.js';

/** How many of a backend group's machines in one zone the load balancer finds healthy. */
export interface GceZoneHealth {
  /** The zone. */
  readonly zone: string;
  /** Machines whose health state is `HEALTHY`. */
  readonly healthy: number;
  /** Machines the load balancer reports on in this zone. */
  readonly total: number;
}

/** The load balancer's view of one backend group (`backendServices.getHealth`). */
export interface GceBackendHealth {
  /** The backend service. */
  readonly backendService: string;
  /** The instance group behind it. */
  readonly group: string;
  /** Per zone, sorted by zone. */
  readonly zones: readonly GceZoneHealth[];
}

/**
 * What the regional backend service `backendService` finds of each of its groups: one read of
 * the service, then one `getHealth` per group. No service, no groups: `[]`.
 */
export async function readBackendHealth(
  api: GceApi,
  backendService: string,
  signal: AbortSignal,
): Promise<GceBackendHealth[]> {
  const where = { project: api.project, region: api.region, backendService };
  const site = siteOf('list', BACKEND_SERVICE_TYPE, backendService);
  const found = await getOrUndefined(
    api.call(site, signal, (c) => c.regionBackendServices.get(where)),
  );
  if (found === undefined) return [];
  const groups = (found[0].backends ?? []).flatMap((backend) => backend.group ?? []);
  return Promise.all(
    groups.map(async (group): Promise<GceBackendHealth> => {
      const [health] = await api.call(site, signal, (c) =>
        c.regionBackendServices.getHealth({ ...where, resourceGroupReferenceResource: { group } }),
      );
      const byZone = new Map<string, { healthy: number; total: number }>();
      for (const status of health.healthStatus ?? []) {
        const zone = /\/zones\/([^/]+)\//.exec(status.instance ?? '')?.[1] ?? '';
        const counts = byZone.get(zone) ?? { healthy: 0, total: 0 };
        counts.total += 1;
        if (status.healthState === 'HEALTHY') counts.healthy += 1;
        byZone.set(zone, counts);
      }
      return {
        backendService,
        group: nameOfRef(group),
        zones: [...byZone]
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([zone, counts]) => ({ zone, ...counts })),
      };
    }),
  );
}
