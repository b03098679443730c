import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import PQueue from 'p-queue';
import type { FailedStep } from './apply-error.js';
import type { Emit } from './emitter.js';
import type { EngineOperation, StepRef } from './events.js';
import type { RetryPolicy } from './options.js';
import type { Owner } from './owner.js';
import { isProviderError, ProviderError } from './provider-error.js';
import { deterministicRequestId } from './request-id.js';
import type { OperationContext } from './resource-type.js';
import { callWithRetry } from './retry.js';

/** The provider calls a step can make. */
export type StepOperation = 'create' | 'update' | 'delete';

/** What a running step uses to call its provider. */
export interface StepCalls {
  /** Runs one provider call: in a concurrency slot, with retries, the step's signal and a request id. */
  call<T>(operation: StepOperation, fn: (ctx: OperationContext) => Promise<T>): Promise<T>;
}

/** A node of the execution graph. */
export interface ExecutableStep {
  /** The step. */
  readonly ref: StepRef;
  /** Steps that must finish first. */
  readonly dependsOn: readonly string[];
  /** The work; undefined when there is nothing to do. */
  readonly run: ((calls: StepCalls) => Promise<void>) | undefined;
  /**
   * A digest of the desired spec, mixed into request ids: a spec fixed after a failed create
   * must not be sent under the failed request's id.
   */
  readonly specDigest?: string;
}

/** How {@link executeSteps} runs. */
export interface ExecutionSettings {
  /** The provider name, for errors. */
  readonly provider: string;
  /** The cluster. */
  readonly owner: Owner;
  /** Mixed into request ids so each run's operations get their own. */
  readonly requestSalt: string;
  /** Provider calls in flight at once. */
  readonly concurrency: number;
  /** The caller's cancellation. */
  readonly signal: AbortSignal;
  /** Longest a step may take from its first provider call, retries included. */
  readonly stepTimeoutMs: number | undefined;
  /** Longest to wait, after a step timed out, for its provider call to return. */
  readonly settleMs: number;
  /** Retries of retryable errors. */
  readonly retry: RetryPolicy | undefined;
  /** Where events go. */
  readonly emit: Emit;
  /** Apply or destroy, passed to every provider call. */
  readonly operation?: EngineOperation;
}

/** How every step ended, each list in plan order. */
export interface ExecutionReport {
  /** Steps that changed something and finished. */
  readonly finished: readonly StepRef[];
  /** Steps that failed. */
  readonly failed: readonly FailedStep[];
  /** Steps that never started. */
  readonly notStarted: readonly StepRef[];
  /** Steps in flight when the run was aborted, and steps that timed out. */
  readonly unknown: readonly StepRef[];
  /** Steps with nothing to do. */
  readonly unchanged: number;
}

type Outcome =
  | { readonly kind: 'done' | 'unchanged' | 'not-started' | 'unknown' }
  | { readonly kind: 'failed'; readonly error: ProviderError };

/**
 * Runs steps as a DAG: each starts as soon as its dependencies are done (or, for a create, as
 * soon as its object exists: {@link OperationContext.dependentsMayStart}), provider calls share
 * `concurrency` slots (a step waiting out a backoff holds none). A failed step blocks what
 * depends on it and nothing else. After an abort no step starts; those in flight finish or
 * are reported unknown.
 */
export async function executeSteps(
  steps: readonly ExecutableStep[],
  settings: ExecutionSettings,
): Promise<ExecutionReport> {
  const queue = new PQueue({ concurrency: settings.concurrency });
  const byId = new Map(steps.map((step) => [step.ref.id, step]));
  const waiting = new Map<string, number>();
  const dependents = new Map<string, string[]>();
  for (const step of steps) {
    const dependencies = new Set(step.dependsOn.filter((id) => byId.has(id)));
    waiting.set(step.ref.id, dependencies.size);
    for (const id of dependencies) dependents.set(id, [...(dependents.get(id) ?? []), step.ref.id]);
  }
  const outcomes = new Map<string, Outcome>();
  const running = new Set<Promise<void>>();

  const launch = (step: ExecutableStep): void => {
    if (settings.signal.aborted) return;
    let released = false;
    // Once, when the step is done or its create said its object exists, whichever comes first.
    const releaseDependents = (): void => {
      if (released) return;
      released = true;
      for (const id of dependents.get(step.ref.id) ?? []) {
        const left = (waiting.get(id) ?? 0) - 1;
        waiting.set(id, left);
        const dependent = byId.get(id);
        if (left === 0 && dependent !== undefined) launch(dependent);
      }
    };
    const task = runStep(step, queue, settings, releaseDependents).then((outcome) => {
      outcomes.set(step.ref.id, outcome);
      if (outcome.kind === 'done' || outcome.kind === 'unchanged') releaseDependents();
    });
    running.add(task);
    void task.finally(() => running.delete(task));
  };

  // Chosen before any starts: a create may release its dependents before its first await.
  const roots = steps.filter((step) => waiting.get(step.ref.id) === 0);
  for (const step of roots) launch(step);
  while (running.size > 0) await Promise.race(running);

  const report = {
    finished: [] as StepRef[],
    failed: [] as FailedStep[],
    notStarted: [] as StepRef[],
    unknown: [] as StepRef[],
    unchanged: 0,
  };
  for (const step of steps) {
    const outcome = outcomes.get(step.ref.id) ?? { kind: step.run ? 'not-started' : 'unchanged' };
    if (outcome.kind === 'done') report.finished.push(step.ref);
    else if (outcome.kind === 'failed')
      report.failed.push({ step: step.ref, error: outcome.error });
    else if (outcome.kind === 'not-started') report.notStarted.push(step.ref);
    else if (outcome.kind === 'unknown') report.unknown.push(step.ref);
    else report.unchanged += 1;
  }
  return report;
}

async function runStep(
  step: ExecutableStep,
  queue: PQueue,
  settings: ExecutionSettings,
  releaseDependents: () => void,
): Promise<Outcome> {
  const { run, ref } = step;
  if (run === undefined) return { kind: 'unchanged' };
  const { emit } = settings;
  const began = performance.now();
  const deadline = stepDeadline(settings.stepTimeoutMs);
  const signal = AbortSignal.any([settings.signal, deadline.signal]);
  const inFlight = new Set<Promise<unknown>>();
  const resource = `${ref.type}/${ref.name}`;
  let started = false;
  let calls = 0;
  let lastOperation: StepOperation = 'create';
  const providerError = (operation: StepOperation, cause: unknown) =>
    new ProviderError(`${operation} of ${resource} failed: ${describe(cause)}`, {
      provider: settings.provider,
      operation,
      resource,
      cause,
    });

  const stepCalls: StepCalls = {
    call: (operation, fn) => {
      lastOperation = operation;
      // The same on every retry of this call in this run, so a retried insert whose outcome is
      // unknown cannot create a duplicate (a later run finds what it made and adopts it)...
      const deterministic = deterministicRequestId([
        settings.requestSalt,
        ref.id,
        operation,
        step.specDigest ?? '',
        String(calls++),
      ]);
      let requestId = deterministic;
      return callWithRetry(
        (attempt) =>
          queue.add(async () => {
            signal.throwIfAborted();
            deadline.start();
            if (!started) {
              started = true;
              emit({ type: 'resource.start', step: ref });
            }
            const ctx: OperationContext = {
              owner: settings.owner,
              signal,
              requestId,
              attempt,
              progress: (message) => emit({ type: 'resource.progress', step: ref, message }),
              ...(settings.operation === undefined ? {} : { operation: settings.operation }),
              // Only a create makes one object that dependents wait for and nothing after it;
              // a replace still has its other half to do, an update or delete no new object.
              ...(ref.action === 'create' && operation === 'create'
                ? { dependentsMayStart: releaseDependents }
                : {}),
            };
            const pending = fn(ctx);
            inFlight.add(pending);
            void pending.then(
              () => inFlight.delete(pending),
              () => inFlight.delete(pending),
            );
            try {
              return await raceAbort(pending, deadline.signal);
            } catch (error) {
              // ...but once a call is known to have done nothing, its id is spent: the cloud
              // would answer it with the same failed operation again.
              if (isProviderError(error) && error.noEffect) requestId = randomUUID();
              throw error;
            }
          }),
        {
          policy: settings.retry,
          signal,
          classify: (cause) => providerError(operation, cause),
          onRetry: (error, attempt, delayMs) =>
            emit({
              type: 'resource.retry',
              step: ref,
              operation,
              attempt,
              delayMs,
              message: error.message,
              reason: error.reason,
            }),
        },
      );
    },
  };

  try {
    await run(stepCalls);
    emit({ type: 'resource.done', step: ref, durationMs: performance.now() - began });
    return { kind: 'done' };
  } catch (cause) {
    if (settings.signal.aborted) return { kind: started ? 'unknown' : 'not-started' };
    if (deadline.signal.aborted) {
      const error = new ProviderError(
        `${resource} did not finish within ${settings.stepTimeoutMs} ms; whether its last call took effect is unknown.`,
        {
          provider: settings.provider,
          operation: lastOperation,
          resource,
          reason: 'timeout',
          retryable: false,
          cause,
        },
      );
      // The provider call may still be changing the cloud: give it a bounded time to return
      // before the run ends and the cluster lock is released.
      await settled(inFlight, settings.settleMs);
      emit({ type: 'resource.failed', step: ref, error, durationMs: performance.now() - began });
      return { kind: 'unknown' };
    }
    const error = isProviderError(cause) ? cause : providerError(lastOperation, cause);
    emit({ type: 'resource.failed', step: ref, error, durationMs: performance.now() - began });
    return { kind: 'failed', error };
  } finally {
    deadline.stop();
  }
}

/** A step's time limit, which starts counting when the step gets its first concurrency slot. */
interface StepDeadline {
  /** Aborts when the time is up. */
  readonly signal: AbortSignal;
  /** Starts the clock; later calls do nothing. */
  start(): void;
  /** Stops the clock for good. */
  stop(): void;
}

// Time spent waiting for a slot behind other steps is not the step's fault, so it is not counted.
function stepDeadline(timeoutMs: number | undefined): StepDeadline {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  return {
    signal: controller.signal,
    start: () => {
      if (timeoutMs === undefined || timer !== undefined || stopped) return;
      timer = setTimeout(
        () => controller.abort(new DOMException('The step timed out.', 'TimeoutError')),
        timeoutMs,
      );
    },
    stop: () => {
      stopped = true;
      clearTimeout(timer);
    },
  };
}

async function settled(calls: ReadonlySet<Promise<unknown>>, boundMs: number): Promise<void> {
  if (calls.size === 0) return;
  const bound = new AbortController();
  await Promise.race([
    Promise.allSettled(calls),
    sleep(boundMs, undefined, { signal: bound.signal }).catch(() => undefined),
  ]);
  bound.abort();
}

// A provider call that ignores its signal must still not hold a step past its timeout.
async function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  signal.throwIfAborted();
  let onAbort: (() => void) | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        onAbort = () => reject(signal.reason);
        signal.addEventListener('abort', onAbort, { once: true });
      }),
    ]);
  } finally {
    if (onAbort !== undefined) signal.removeEventListener('abort', onAbort);
  }
}

function describe(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}
