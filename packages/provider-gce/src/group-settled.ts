import { setTimeout as sleep } from 'node:timers/promises';
import { isProviderError } from '@hakoc/core';
import type { InstanceGroupManager } from './compute-types.js';
import type { GceApi } from './gce-api.js';
import { type ErrorSite, gceFailure } from './gce-errors.js';

/** How long a rolled group may take to settle: a re-created machine boots in minutes. */
export const GROUP_SETTLE_TIMEOUT_MS = 30 * 60_000;

// GCE settles in seconds to minutes, the emulator in milliseconds: poll soon, then back off.
const FIRST_POLL_MS = 20;
const LONGEST_POLL_MS = 5_000;

/** Why a group is not settled yet, or undefined when it is. */
export function unsettledBecause(
  group: InstanceGroupManager,
  machines: readonly {
    readonly instanceStatus?: string | null;
    readonly currentAction?: string | null;
  }[],
): string | undefined {
  const status = group.status;
  if (status?.isStable !== true) return 'the group is not stable yet';
  if (status.versionTarget?.isReached === false) return 'machines still run an old template';
  if (status.stateful?.perInstanceConfigs?.allEffective === false) {
    return 'a per-instance config is not applied yet';
  }
  const size = group.targetSize ?? 0;
  const running = machines.filter(
    (m) => m.instanceStatus === 'RUNNING' && (m.currentAction ?? 'NONE') === 'NONE',
  );
  if (running.length < size) return `${running.length} of ${size} machines are running`;
  return undefined;
}

/** What {@link waitUntilGroupSettled} needs. */
export interface SettleWait {
  /** The regional group. */
  readonly group: string;
  /** Where errors point. */
  readonly site: ErrorSite;
  /** The step's signal. */
  readonly signal: AbortSignal;
  /** Reports what is awaited, as the step's progress. */
  readonly progress?: (message: string) => void;
  /** Longest wait. @default {@link GROUP_SETTLE_TIMEOUT_MS} */
  readonly timeoutMs?: number;
}

/**
 * Waits until a regional group has finished what a change started: stable (no machine being
 * created, re-created, deleted or verified against its health check), every machine on the
 * group's template and per-instance config, and as many machines RUNNING with nothing to do as
 * the group's size. A rolled etcd member is then back with its new config, and a rolled
 * control plane is serving again, before the next step of a roll may start.
 *
 * @throws ProviderError (`timeout`) when the group does not settle in time.
 */
export async function waitUntilGroupSettled(api: GceApi, wait: SettleWait): Promise<void> {
  const where = { project: api.project, region: api.region, instanceGroupManager: wait.group };
  const timeoutMs = wait.timeoutMs ?? GROUP_SETTLE_TIMEOUT_MS;
  const deadline = Date.now() + timeoutMs;
  let pollMs = FIRST_POLL_MS;
  let reported: string | undefined;
  const read = async (): Promise<string | undefined> => {
    try {
      const [group] = await api.call(wait.site, wait.signal, (c) =>
        c.regionInstanceGroupManagers.get(where),
      );
      const [machines] = await api.call(wait.site, wait.signal, (c) =>
        c.regionInstanceGroupManagers.listManagedInstances(where),
      );
      return unsettledBecause(group, machines);
    } catch (error) {
      // A read that failed for a while (rate limit, 5xx, a reset connection) is asked again:
      // failing the step would make the engine re-run the whole change, re-creating again.
      if (isProviderError(error) && error.retryable) return `a read failed: ${error.message}`;
      throw error;
    }
  };
  for (;;) {
    const because = await read();
    if (because === undefined) return;
    if (because !== reported) {
      reported = because;
      wait.progress?.(`waiting for ${wait.group} to settle: ${because}`);
    }
    if (Date.now() + pollMs > deadline) {
      throw gceFailure(
        `${wait.group} did not settle within ${timeoutMs} ms: ${because}.`,
        wait.site,
        'timeout',
        'Look at the group in the console (its machines and their errors); apply again once it is healthy.',
      );
    }
    await sleep(pollMs, undefined, { signal: wait.signal });
    pollMs = Math.min(LONGEST_POLL_MS, pollMs * 2);
  }
}
