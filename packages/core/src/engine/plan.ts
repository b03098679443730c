import { asError } from './as-error.js';
import { buildPlan } from './build-plan.js';
import { emitterFor } from './emitter.js';
import { orderDesired } from './graph.js';
import { neverAborted } from './never-aborted.js';
import type { PlanOptions } from './options.js';
import { checkEngineOptions } from './options-schema.js';
import type { PlanDocument } from './plan-document.js';
import { attachInternals, type Plan } from './plan-internals.js';
import { runPreflight } from './preflight.js';
import type { Provider } from './provider.js';
import { readSnapshot } from './snapshot.js';

/**
 * Reads what the owner owns (one list call per resource type), diffs it against the provider's
 * desired graph for `input` and returns the steps that make the cloud match. Changes nothing.
 *
 * @throws GraphError when the provider's graph is unusable.
 * @throws ProviderError when preflight or a list call fails for good.
 * @throws HakocError `HAKOC_OPTIONS_INVALID` for options out of range.
 * @throws HakocError from the provider's `checkChange` (`HAKOC_VERSION_SKIP`, …).
 */
export async function plan<Input, Output>(
  input: Input,
  provider: Provider<Input, Output>,
  options: PlanOptions,
): Promise<Plan<Output>> {
  checkEngineOptions(options);
  const { owner, secretKey } = options;
  const emit = emitterFor(options.onEvent);
  const signal = options.signal ?? neverAborted();
  const started = performance.now();
  emit({ type: 'plan.started', provider: provider.name, cluster: owner.cluster });
  try {
    const warnings = await runPreflight(provider, owner, { signal, retry: options.retry });
    const ordered = orderDesired(provider.name, await provider.desired(input), provider.types);
    signal.throwIfAborted();
    const snapshot = await readSnapshot(provider, owner, { signal, retry: options.retry });
    provider.checkChange?.(
      input,
      [...snapshot.byType].flatMap(([type, states]) => states.map((state) => ({ type, state }))),
    );
    const built = buildPlan(provider, owner, ordered, snapshot, secretKey ? { secretKey } : {});
    const document = warnings.length === 0 ? built.document : { ...built.document, warnings };
    const result = attachInternals<Output>(document, {
      provider,
      owner,
      steps: built.steps,
      snapshot,
      // The key comes along, so a plan made again shows secrets the way the first one did.
      replan: (again) =>
        plan(input, provider, { ...again, owner, ...(secretKey ? { secretKey } : {}) }),
    });
    emit({
      type: 'plan.finished',
      summary: result.summary,
      fingerprint: result.fingerprint,
      durationMs: performance.now() - started,
    });
    return result;
  } catch (error) {
    // A progress display opened by plan.started must be told to close.
    emit({
      type: 'plan.failed',
      provider: provider.name,
      cluster: owner.cluster,
      error: asError(error),
      durationMs: performance.now() - started,
    });
    throw error;
  }
}

/** True when applying `plan` would change anything. */
export function hasChanges(plan: PlanDocument): boolean {
  return plan.summary.changes > 0;
}
