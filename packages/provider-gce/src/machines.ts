import type { GceApi } from './gce-api.js';
import { getOrUndefined } from './gce-resource-type.js';
import { INSTANCE_GROUP_TYPE } from './resources/instance-group.js';
import { nameOfRef, siteOf } from './resources/site.js';

/** One machine of a managed instance group, as GCE reports it. */
export interface GceMachine {
  /** Instance name. */
  readonly name: string;
  /** Its zone. */
  readonly zone: string;
  /** The instance's status: `RUNNING`, `PROVISIONING`, `STAGING`, `STOPPING`, `TERMINATED`, … */
  readonly status: string;
  /** What the group is doing to it: `NONE`, `CREATING`, `RECREATING`, `DELETING`, … */
  readonly action: string;
  /** The autohealing health check's verdict (`HEALTHY`, `UNHEALTHY`, …), once it has one. */
  readonly health: string | undefined;
}

/** A managed instance group's size and machines. */
export interface GceGroupMachines {
  /** Group name (an etcd member's group is named after the member). */
  readonly group: string;
  /** How many machines the group aims at (the autoscaler's current choice for workers). */
  readonly targetSize: number;
  /** Its machines now. */
  readonly machines: readonly GceMachine[];
}

/**
 * The size and machines of each regional group in `groups` that exists (two reads each): what
 * `hakoc status` shows of a role beyond its configuration.
 */
export async function readGroupMachines(
  api: GceApi,
  groups: readonly string[],
  signal: AbortSignal,
): Promise<GceGroupMachines[]> {
  const where = { project: api.project, region: api.region };
  const read = async (group: string): Promise<GceGroupMachines | undefined> => {
    const site = siteOf('list', INSTANCE_GROUP_TYPE, group);
    const found = await getOrUndefined(
      api.call(site, signal, (c) =>
        c.regionInstanceGroupManagers.get({ ...where, instanceGroupManager: group }),
      ),
    );
    if (found === undefined) return undefined;
    const [managed] = await api.call(site, signal, (c) =>
      c.regionInstanceGroupManagers.listManagedInstances({ ...where, instanceGroupManager: group }),
    );
    return {
      group,
      targetSize: found[0].targetSize ?? 0,
      machines: managed.map((instance) => ({
        name: instance.name ?? nameOfRef(instance.instance),
        zone: /\/zones\/([^/]+)\//.exec(instance.instance ?? '')?.[1] ?? '',
        status: instance.instanceStatus ?? 'UNKNOWN',
        action: instance.currentAction ?? 'NONE',
        health: instance.instanceHealth?.[0]?.detailedHealthState ?? undefined,
      })),
    };
  };
  const found = await Promise.all(groups.map(read));
  return found.filter((group): group is GceGroupMachines => group !== undefined);
}
