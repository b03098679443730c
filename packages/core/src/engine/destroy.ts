import { buildPlan } from './build-plan.js';
import { withFailureEvent } from './failure-event.js';
import { withClusterLock } from './lock.js';
import { neverAborted } from './never-aborted.js';
import type { DestroyOptions } from './options.js';
import { checkEngineOptions } from './options-schema.js';
import type { Owner } from './owner.js';
import { runPreflight } from './preflight.js';
import type { Provider } from './provider.js';
import { type RunResult, runPlan } from './run-plan.js';
import { readSnapshot } from './snapshot.js';

/** What {@link destroy} did. */
export type DestroyResult = RunResult;

/**
 * Deletes everything that carries `owner`'s labels — nothing else, never by name — in reverse
 * dependency order, holding the cluster lock. "Not found" counts as done; "in use" is retried.
 *
 * @throws ApplyError when a delete failed or the caller aborted.
 * @throws LockedError when another apply or destroy holds the cluster lock.
 * @throws HakocError `HAKOC_OPTIONS_INVALID` for options out of range.
 */
export async function destroy<Input>(
  owner: Owner,
  provider: Provider<Input>,
  options: DestroyOptions = {},
): Promise<DestroyResult> {
  checkEngineOptions(options);
  const signal = options.signal ?? neverAborted();
  return withFailureEvent('destroy', owner.cluster, options, async (watched) => {
    await runPreflight(provider, owner, { signal, retry: options.retry });
    return withClusterLock(
      provider,
      owner,
      { operation: 'destroy' },
      watched,
      async (_lock, snapshot) => {
        const { steps } = buildPlan(provider, owner, [], snapshot, {}, 'the cluster is destroyed');
        return runPlan({ provider: provider.name, owner, steps, snapshot }, 'destroy', watched);
      },
      // The read changes nothing, so it runs while the lock store confirms the lock.
      () => readSnapshot(provider, owner, { signal, retry: options.retry }),
    );
  });
}
