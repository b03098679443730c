import { isProviderError } from '@hakoc/core';
import type { GceApi } from './gce-api.js';
import type { ErrorSite } from './gce-errors.js';
import type { Operation } from './operation.js';

/** A machine of a group as `listManagedInstances` reports it (the fields read here). */
export interface GroupMachine {
  /** The instance's URL. */
  readonly instance?: string | null;
  /** What the group is doing to it: `NONE` when nothing. */
  readonly currentAction?: string | null;
}

const INSTANCE_PATH = /(projects\/[^/]+\/zones\/([^/]+)\/instances\/[^/]+)$/;

/**
 * The unfinished operations GCE runs on a group's busy machines (creating, re-creating,
 * deleting one: the group starts them as zonal operations of its own), found with one filtered
 * list per zone. Empty when no machine is busy, or when the lookup failed: the caller then
 * polls the group instead.
 */
export async function memberOperations(
  api: GceApi,
  site: ErrorSite,
  signal: AbortSignal,
  machines: readonly GroupMachine[],
): Promise<Operation[]> {
  const busy = new Map<string, string>();
  for (const machine of machines) {
    if ((machine.currentAction ?? 'NONE') === 'NONE') continue;
    const match = INSTANCE_PATH.exec(machine.instance ?? '');
    if (match?.[1] !== undefined && match[2] !== undefined) busy.set(match[1], match[2]);
  }
  const zones = [...new Set(busy.values())];
  try {
    const lists = await Promise.all(
      zones.map((zone) =>
        api.call(site, signal, (c) =>
          c.zoneOperations.list(
            { project: api.project, zone, filter: 'status != "DONE"' },
            { autoPaginate: false },
          ),
        ),
      ),
    );
    return lists.flatMap(([operations]) =>
      operations.filter((operation) => {
        const target = INSTANCE_PATH.exec(operation.targetLink ?? '')?.[1];
        return target !== undefined && busy.has(target);
      }),
    );
  } catch (error) {
    if (signal.aborted || !isProviderError(error)) throw error;
    return [];
  }
}
