import { randomUUID } from 'node:crypto';
import { ApplyError } from './apply-error.js';
import { canonicalJson, sha256 } from './digest.js';
import { emitterFor } from './emitter.js';
import type { EngineOperation, StepRef, StepTotals } from './events.js';
import { type ExecutableStep, executeSteps, type StepCalls } from './execute.js';
import { neverAborted } from './never-aborted.js';
import type { ExecutionOptions } from './options.js';
import type { Owner } from './owner.js';
import type { PlannedStep } from './plan-internals.js';
import type { ActualResource } from './provider.js';
import { isProviderError } from './provider-error.js';
import type { Resource } from './resource.js';
import type { ResourceState, ResourceType } from './resource-type.js';
import type { Snapshot } from './snapshot.js';

/** What an apply or destroy did. */
export interface RunResult {
  /** Apply or destroy. */
  readonly operation: EngineOperation;
  /** Steps that changed something, in plan order. */
  readonly finished: readonly StepRef[];
  /** How the steps ended. */
  readonly totals: StepTotals;
  /** Wall time of running the steps, in milliseconds. */
  readonly durationMs: number;
  /** Every owned object once the run finished. */
  readonly actual: readonly ActualResource[];
}

/** The steps of a plan and what they were planned against. */
export interface RunnablePlan {
  /** The provider name. */
  readonly provider: string;
  /** The cluster. */
  readonly owner: Owner;
  /** The steps, in plan order. */
  readonly steps: readonly PlannedStep[];
  /** What the plan read. */
  readonly snapshot: Snapshot;
}

/**
 * Runs a plan's steps and reports them.
 *
 * @throws ApplyError when a step failed or the caller aborted.
 */
export async function runPlan(
  plan: RunnablePlan,
  operation: EngineOperation,
  options: ExecutionOptions,
): Promise<RunResult> {
  const emit = emitterFor(options.onEvent);
  const signal = options.signal ?? neverAborted();
  const actual = new Map<ResourceState, ActualResource>();
  for (const [type, states] of plan.snapshot.byType) {
    for (const state of states) actual.set(state, { type, state });
  }
  const record = (type: ResourceType, state: ResourceState) =>
    actual.set(state, { type: type.type, state });
  const forget = (state: ResourceState) => actual.delete(state);

  const executable: ExecutableStep[] = plan.steps.map((planned) => ({
    ref: {
      id: planned.step.id,
      type: planned.step.type,
      name: planned.step.name,
      action: planned.step.action,
    },
    dependsOn: planned.step.dependsOn,
    run: workOf(planned, record, forget),
    ...(planned.resource === undefined
      ? {}
      : { specDigest: sha256(canonicalJson(planned.resource.spec)) }),
  }));
  const changes = executable.filter((step) => step.run !== undefined).length;
  emit({ type: 'apply.started', operation, cluster: plan.owner.cluster, changes });
  const started = performance.now();
  const report = await executeSteps(executable, {
    provider: plan.provider,
    owner: plan.owner,
    // Each run's own: an apply after a destroy plans from the same empty cloud, and GCE answers
    // a request id it saw in the last hour with that request's old operation, creating nothing.
    requestSalt: `${plan.snapshot.fingerprint}/${randomUUID()}`,
    concurrency: options.concurrency ?? 8,
    signal,
    stepTimeoutMs: options.timeouts?.stepMs,
    settleMs: options.timeouts?.settleMs ?? 30_000,
    retry: options.retry,
    emit,
    operation,
  });
  const durationMs = performance.now() - started;
  const totals: StepTotals = {
    done: report.finished.length,
    failed: report.failed.length,
    notStarted: report.notStarted.length,
    unknown: report.unknown.length,
    unchanged: report.unchanged,
  };
  const aborted = signal.aborted;
  emit({ type: 'apply.finished', operation, totals, aborted, durationMs });
  const incomplete = report.failed.length + report.notStarted.length + report.unknown.length;
  if (aborted || incomplete > 0) {
    throw new ApplyError({ operation, aborted, ...report });
  }
  return { operation, finished: report.finished, totals, durationMs, actual: [...actual.values()] };
}

function workOf(
  planned: PlannedStep,
  record: (type: ResourceType, state: ResourceState) => void,
  forget: (state: ResourceState) => void,
): ((calls: StepCalls) => Promise<void>) | undefined {
  const { step, resourceType: type, resource, current } = planned;
  const create = async (calls: StepCalls, desired: Resource) =>
    record(type, await calls.call('create', (ctx) => type.create(ctx, desired)));
  const remove = async (calls: StepCalls, state: ResourceState) => {
    await calls.call('delete', async (ctx) => {
      try {
        await type.delete(ctx, state);
      } catch (error) {
        // Gone already (deleted by an earlier, interrupted run): that is what we wanted.
        if (!(isProviderError(error) && error.reason === 'not-found')) throw error;
      }
    });
    forget(state);
  };
  const update = type.update?.bind(type);

  if (step.action === 'noop') return undefined;
  if (step.action === 'create' && resource !== undefined) return (calls) => create(calls, resource);
  if (step.action === 'delete' && current !== undefined) return (calls) => remove(calls, current);
  if (step.action === 'update' && resource !== undefined && current !== undefined && update) {
    return async (calls) => {
      const state = await calls.call('update', (ctx) => update(ctx, current, resource));
      forget(current);
      record(type, state);
    };
  }
  if (step.action === 'replace' && resource !== undefined && current !== undefined) {
    return step.replaceStrategy === 'create-before-destroy'
      ? async (calls) => {
          await create(calls, resource);
          await remove(calls, current);
        }
      : async (calls) => {
          await remove(calls, current);
          await create(calls, resource);
        };
  }
  throw new Error(`Internal error: step ${step.id} (${step.action}) lacks what it works on.`);
}
