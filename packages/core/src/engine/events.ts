import type { PlanSummary, StepAction } from './plan-document.js';
import type { ProviderError, ProviderErrorReason } from './provider-error.js';

/** Names a plan step in events and errors. */
export interface StepRef {
  /** The step id, `type/name` or `type/name@<cloud id>`. */
  readonly id: string;
  /** The resource type. */
  readonly type: string;
  /** The resource name. */
  readonly name: string;
  /** What the step does. */
  readonly action: StepAction;
}

/** Which engine operation an event or error belongs to. */
export type EngineOperation = 'apply' | 'destroy';

/** How the steps of an apply or destroy ended. Noops are counted apart. */
export interface StepTotals {
  /** Steps that changed something and finished. */
  readonly done: number;
  /** Steps that failed. */
  readonly failed: number;
  /** Steps that never started (a dependency failed, or the run was aborted). */
  readonly notStarted: number;
  /**
   * Steps in flight when the run was aborted, or that ran out of time: their outcome is not
   * known.
   */
  readonly unknown: number;
  /** Steps with nothing to do. */
  readonly unchanged: number;
}

/** A planning run started. */
export interface PlanStartedEvent {
  /** Discriminant. */
  readonly type: 'plan.started';
  /** The provider name. */
  readonly provider: string;
  /** The cluster name. */
  readonly cluster: string;
}

/** A planning run finished. */
export interface PlanFinishedEvent {
  /** Discriminant. */
  readonly type: 'plan.finished';
  /** Counts per action. */
  readonly summary: PlanSummary;
  /** The fingerprint of what was read. */
  readonly fingerprint: string;
  /** Wall time in milliseconds. */
  readonly durationMs: number;
}

/** A planning run failed; nothing was changed. */
export interface PlanFailedEvent {
  /** Discriminant. */
  readonly type: 'plan.failed';
  /** The provider name. */
  readonly provider: string;
  /** The cluster name. */
  readonly cluster: string;
  /** Why (the error `plan` rejects with). */
  readonly error: Error;
  /** Wall time in milliseconds. */
  readonly durationMs: number;
}

/** The cluster lock was taken or released. */
export interface LockEvent {
  /** Discriminant. */
  readonly type: 'lock.acquired' | 'lock.released';
  /** The cluster name. */
  readonly cluster: string;
  /** Who holds (held) it. */
  readonly holder: string;
}

/**
 * The cluster lock could not be released after the work under it finished. The work's result
 * stands; the lock stays until the next run finds it and it is broken (`breakLock`).
 */
export interface LockReleaseFailedEvent {
  /** Discriminant. */
  readonly type: 'lock.release-failed';
  /** The cluster name. */
  readonly cluster: string;
  /** Who held it. */
  readonly holder: string;
  /** Why releasing failed. */
  readonly error: Error;
}

/** An apply or destroy started running steps. */
export interface ApplyStartedEvent {
  /** Discriminant. */
  readonly type: 'apply.started';
  /** Apply or destroy. */
  readonly operation: EngineOperation;
  /** The cluster name. */
  readonly cluster: string;
  /** Steps that change something. */
  readonly changes: number;
}

/** A step started. */
export interface ResourceStartEvent {
  /** Discriminant. */
  readonly type: 'resource.start';
  /** The step. */
  readonly step: StepRef;
}

/** A provider reported progress of a long step. */
export interface ResourceProgressEvent {
  /** Discriminant. */
  readonly type: 'resource.progress';
  /** The step. */
  readonly step: StepRef;
  /** What the provider said. */
  readonly message: string;
}

/** A step's provider call failed with a retryable error and will be tried again. */
export interface ResourceRetryEvent {
  /** Discriminant. */
  readonly type: 'resource.retry';
  /** The step. */
  readonly step: StepRef;
  /** The call being retried. */
  readonly operation: 'create' | 'update' | 'delete';
  /** The attempt that failed, from 1. */
  readonly attempt: number;
  /** How long the engine waits before the next attempt. */
  readonly delayMs: number;
  /** The failure, in words. */
  readonly message: string;
  /** The failure, classified. */
  readonly reason: ProviderErrorReason;
}

/** A step finished. */
export interface ResourceDoneEvent {
  /** Discriminant. */
  readonly type: 'resource.done';
  /** The step. */
  readonly step: StepRef;
  /** Wall time in milliseconds, retries included. */
  readonly durationMs: number;
}

/** A step failed for good. */
export interface ResourceFailedEvent {
  /** Discriminant. */
  readonly type: 'resource.failed';
  /** The step. */
  readonly step: StepRef;
  /** The provider's error. */
  readonly error: ProviderError;
  /** Wall time in milliseconds, retries included. */
  readonly durationMs: number;
}

/** An apply or destroy finished running steps, successfully or not. */
export interface ApplyFinishedEvent {
  /** Discriminant. */
  readonly type: 'apply.finished';
  /** Apply or destroy. */
  readonly operation: EngineOperation;
  /** How the steps ended. */
  readonly totals: StepTotals;
  /** Whether the caller aborted it. */
  readonly aborted: boolean;
  /** Wall time in milliseconds. */
  readonly durationMs: number;
}

/**
 * An apply or destroy failed before or after running its steps — the lock was held elsewhere,
 * the plan was stale, reading the cloud failed — so no `apply.finished` closes it.
 */
export interface ApplyFailedEvent {
  /** Discriminant. */
  readonly type: 'apply.failed';
  /** Apply or destroy. */
  readonly operation: EngineOperation;
  /** The cluster name. */
  readonly cluster: string;
  /** Why (the error the call rejects with). */
  readonly error: Error;
  /** Wall time in milliseconds. */
  readonly durationMs: number;
}

/** Everything the engine reports while it works, discriminated by `type`. */
export type EngineEvent =
  | PlanStartedEvent
  | PlanFinishedEvent
  | PlanFailedEvent
  | LockEvent
  | LockReleaseFailedEvent
  | ApplyStartedEvent
  | ResourceStartEvent
  | ResourceProgressEvent
  | ResourceRetryEvent
  | ResourceDoneEvent
  | ResourceFailedEvent
  | ApplyFinishedEvent
  | ApplyFailedEvent;
