import { HakocError, isHakocError } from '@hakoc/certs';
import type { EngineOperation, StepRef } from './events.js';
import type { ProviderError } from './provider-error.js';

/** The stable code of an apply or destroy in which a step failed. */
export const APPLY_FAILED_CODE = 'HAKOC_APPLY_FAILED';

/** The stable code of an apply or destroy the caller aborted. */
export const APPLY_ABORTED_CODE = 'HAKOC_APPLY_ABORTED';

/** A step that failed, with the provider's error. */
export interface FailedStep {
  /** The step. */
  readonly step: StepRef;
  /** Why it failed. */
  readonly error: ProviderError;
}

/** What an {@link ApplyError} reports. */
export interface ApplyErrorDetails {
  /** Apply or destroy. */
  readonly operation: EngineOperation;
  /** Whether the caller aborted the run. */
  readonly aborted: boolean;
  /** Steps that changed something and finished. */
  readonly finished: readonly StepRef[];
  /** Steps that failed. */
  readonly failed: readonly FailedStep[];
  /** Steps that never started. */
  readonly notStarted: readonly StepRef[];
  /**
   * Steps in flight when the run was aborted, or that ran out of time: their outcome is not
   * known.
   */
  readonly unknown: readonly StepRef[];
}

/**
 * An apply or destroy did not finish. Nothing is lost: running it again plans from what exists
 * and finishes the job.
 */
export class ApplyError extends HakocError implements ApplyErrorDetails {
  /** Apply or destroy. */
  readonly operation: EngineOperation;
  /** Whether the caller aborted the run. */
  readonly aborted: boolean;
  /** Steps that changed something and finished. */
  readonly finished: readonly StepRef[];
  /** Steps that failed, with the provider's errors. */
  readonly failed: readonly FailedStep[];
  /** Steps that never started. */
  readonly notStarted: readonly StepRef[];
  /**
   * Steps in flight when the run was aborted, or that ran out of time: their outcome is not
   * known.
   */
  readonly unknown: readonly StepRef[];

  constructor(details: ApplyErrorDetails) {
    const first = details.failed[0];
    super(
      details.aborted ? APPLY_ABORTED_CODE : APPLY_FAILED_CODE,
      `${details.operation} ${details.aborted ? 'aborted' : 'failed'}: ${details.finished.length} finished, ` +
        `${details.failed.length} failed, ${details.notStarted.length} not started, ` +
        `${details.unknown.length} unknown${first === undefined ? '' : ` (${first.step.id}: ${first.error.message})`}.`,
      {
        ...(first === undefined ? {} : { cause: first.error }),
        hint: `Run ${details.operation} again: it plans from what exists and finishes the job.`,
      },
    );
    this.name = 'ApplyError';
    this.operation = details.operation;
    this.aborted = details.aborted;
    this.finished = details.finished;
    this.failed = details.failed;
    this.notStarted = details.notStarted;
    this.unknown = details.unknown;
  }
}

/** True for an {@link ApplyError} from any copy of `@hakoc/core`. */
export function isApplyError(error: unknown): error is ApplyError {
  return (
    isHakocError(error) && (error.code === APPLY_FAILED_CODE || error.code === APPLY_ABORTED_CODE)
  );
}
