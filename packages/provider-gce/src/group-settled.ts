import { setTimeout as sleep } from 'node:timers/promises';
import { isProviderError } from '@hakoc/core';
import type { InstanceGroupManager } from './compute-types.js';
import type { GceApi } from './gce-api.js';
import { type ErrorSite, gceFailure } from './gce-errors.js';
import { type GroupMachine, memberOperations } from './member-operations.js';
import type { Operation } from './operation.js';

/** How long a rolled group may take to settle: a re-created machine boots in minutes. */
export const GROUP_SETTLE_TIMEOUT_MS = 30 * 60_000;

// What is not an operation (a machine verified against its health check, the group's own
// bookkeeping after one finished) is polled: soon, then backing off. GCE settles in seconds to
// minutes, the emulator in milliseconds.
const FIRST_POLL_MS = 20;
const LONGEST_POLL_MS = 5_000;

/** Why a group is not settled yet, or undefined when it is. */
export function unsettledBecause(
  group: InstanceGroupManager,
  machines: readonly (GroupMachine & { readonly instanceStatus?: string | null })[],
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
 * While a machine is being created, re-created or deleted, it waits on that operation with
 * GCE's `wait` (which answers the moment the operation is done: one call per operation instead
 * of a poll every few seconds, and no time lost between the last poll and the end), then reads
 * the group again at once. Only what is not an operation is polled.
 *
 * @throws ProviderError (`timeout`) when the group does not settle in time.
 */
export async function waitUntilGroupSettled(api: GceApi, wait: SettleWait): Promise<void> {
  const where = { project: api.project, region: api.region, instanceGroupManager: wait.group };
  const timeoutMs = wait.timeoutMs ?? GROUP_SETTLE_TIMEOUT_MS;
  const deadline = Date.now() + timeoutMs;
  let pollMs = FIRST_POLL_MS;
  let reported: string | undefined;
  const read = async (): Promise<{ because?: string; machines: readonly GroupMachine[] }> => {
    try {
      // Two reads side by side: neither is a snapshot of the other, one after the other neither.
      const [[group], [machines]] = await Promise.all([
        api.call(wait.site, wait.signal, (c) => c.regionInstanceGroupManagers.get(where)),
        api.call(wait.site, wait.signal, (c) =>
          c.regionInstanceGroupManagers.listManagedInstances(where),
        ),
      ]);
      const because = unsettledBecause(group, machines);
      return because === undefined ? { machines } : { because, machines };
    } catch (error) {
      // A read that failed for a while (rate limit, 5xx, a reset connection) is asked again:
      // failing the step would make the engine re-run the whole change, re-creating again.
      if (isProviderError(error) && error.retryable) {
        return { because: `a read failed: ${error.message}`, machines: [] };
      }
      throw error;
    }
  };
  for (;;) {
    const { because, machines } = await read();
    if (because === undefined) return;
    if (because !== reported) {
      reported = because;
      wait.progress?.(`waiting for ${wait.group} to settle: ${because}`);
    }
    const timedOut = () =>
      gceFailure(
        `${wait.group} did not settle within ${timeoutMs} ms: ${because}.`,
        wait.site,
        'timeout',
        'Look at the group in the console (its machines and their errors); apply again once it is healthy.',
      );
    const running = await memberOperations(api, wait.site, wait.signal, machines);
    if (running.length > 0) {
      if (Date.now() >= deadline) throw timedOut();
      await untilDone(api, wait, running, deadline);
      pollMs = FIRST_POLL_MS;
      continue;
    }
    if (Date.now() + pollMs > deadline) throw timedOut();
    await sleep(pollMs, undefined, { signal: wait.signal });
    pollMs = Math.min(LONGEST_POLL_MS, pollMs * 2);
  }
}

/**
 * Waits for the machines' operations, at most until `deadline`. How one ended does not matter
 * here (the group retries a failed creation itself): the group is read again either way.
 */
async function untilDone(
  api: GceApi,
  wait: SettleWait,
  operations: readonly Operation[],
  deadline: number,
): Promise<void> {
  const signal = AbortSignal.any([
    wait.signal,
    AbortSignal.timeout(Math.max(1, deadline - Date.now())),
  ]);
  await Promise.all(
    operations.map((operation) =>
      api.wait(wait.site, signal, operation).catch((error: unknown) => {
        if (wait.signal.aborted) throw wait.signal.reason;
        if (signal.aborted || isProviderError(error)) return;
        throw error;
      }),
    ),
  );
}
