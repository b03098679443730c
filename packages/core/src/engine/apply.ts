import { withFailureEvent } from './failure-event.js';
import { withClusterLock } from './lock.js';
import { neverAborted } from './never-aborted.js';
import type { ApplyOptions } from './options.js';
import { checkEngineOptions } from './options-schema.js';
import type { PlanDocument } from './plan-document.js';
import { PLAN_INVALID_CODE, PLAN_STALE_CODE, PlanError } from './plan-error.js';
import { internalsOf, type Plan } from './plan-internals.js';
import { type RunResult, runPlan } from './run-plan.js';
import { readSnapshot } from './snapshot.js';

/** What {@link apply} did. */
export interface ApplyResult<Output = unknown> extends RunResult {
  /** The plan that ran: the one given, or a fresh one after `onStale: 'replan'`. */
  readonly plan: PlanDocument;
  /** The provider's outputs computed from what exists afterwards. */
  readonly outputs: Output | undefined;
}

/**
 * Makes the cloud match `plan`, holding the cluster lock. Re-reads what exists first and
 * refuses a stale plan (or plans again, with `onStale: 'replan'`). Steps run as a DAG up to
 * `concurrency`; replacements run create-before-destroy where the type allows; deletes run last,
 * in reverse dependency order. Running it again after any failure finishes the job.
 *
 * @throws ApplyError when a step failed or the caller aborted: what finished, what failed, what
 * never started.
 * @throws PlanError `HAKOC_PLAN_STALE` for a stale plan, `HAKOC_PLAN_INVALID` for a plan this
 * process did not make (load a saved one with {@link loadPlan}).
 * @throws LockedError when another apply or destroy holds the cluster lock.
 * @throws HakocError `HAKOC_OPTIONS_INVALID` for options out of range.
 */
export async function apply<Output>(
  plan: Plan<Output>,
  options: ApplyOptions = {},
): Promise<ApplyResult<Output>> {
  const internals = internalsOf(plan);
  if (internals === undefined) {
    throw new PlanError(PLAN_INVALID_CODE, 'This plan was not made by plan() in this process.', {
      hint: 'Load a saved plan with loadPlan(document, input, provider, options).',
    });
  }
  checkEngineOptions(options);
  const { provider, owner } = internals;
  const signal = options.signal ?? neverAborted();
  return withFailureEvent('apply', owner.cluster, options, (watched) =>
    withClusterLock(
      provider,
      owner,
      { operation: 'apply', fingerprint: plan.fingerprint },
      watched,
      async (lock, snapshot) => {
        let current: Plan = plan;
        let runnable = internals;
        if (snapshot.fingerprint !== plan.fingerprint) {
          if (options.onStale !== 'replan') {
            throw new PlanError(PLAN_STALE_CODE, 'What exists changed since this plan was made.', {
              hint: "Make and review a new plan, or apply with onStale: 'replan'.",
            });
          }
          current = await internals.replan(watched);
          const replanned = internalsOf(current);
          if (replanned === undefined) throw new Error('Internal error: a replan lost its steps.');
          runnable = replanned;
          await lock.setFingerprint(current.fingerprint);
        }
        const result = await runPlan(
          { provider: provider.name, owner, steps: runnable.steps, snapshot: runnable.snapshot },
          'apply',
          watched,
        );
        // The plan was made with a Provider<Input, Output>, so its outputs are an Output.
        const outputs = provider.outputs?.(result.actual) as Output | undefined;
        return { ...result, plan: current, outputs };
      },
      // The re-read changes nothing, so it runs while the lock store confirms the lock.
      () => readSnapshot(provider, owner, { signal, retry: options.retry }),
    ),
  );
}
