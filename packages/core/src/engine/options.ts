import type { EngineEventListener } from './emitter.js';
import type { EngineEvent } from './events.js';
import type { Owner } from './owner.js';

/**
 * Retries of retryable provider errors: exponential backoff with jitter, bounded in count and
 * in time.
 */
export interface RetryPolicy {
  /** Retries after the first attempt. @default 6 */
  readonly retries?: number;
  /** Delay before the first retry, in milliseconds. @default 1000 */
  readonly minDelayMs?: number;
  /** Longest delay between two attempts, in milliseconds. @default 30000 */
  readonly maxDelayMs?: number;
  /** Growth of the delay per retry. @default 2 */
  readonly factor?: number;
  /** Multiply each delay by a random factor between 1 and 2. @default true */
  readonly jitter?: boolean;
  /** Longest time one call may spend retrying, in milliseconds. @default 300000 */
  readonly maxRetryTimeMs?: number;
}

/** Options every engine call takes. */
export interface EngineOptions {
  /**
   * Receives every {@link EngineEvent}. An exception it throws, or a promise it returns that
   * rejects, is ignored; the engine does not wait for a returned promise.
   */
  readonly onEvent?: EngineEventListener;
  /** Cancels the call: no new step starts; steps in flight finish or are reported unknown. */
  readonly signal?: AbortSignal;
  /** Retries of provider calls (including list calls). */
  readonly retry?: RetryPolicy;
}

/** Options of {@link plan}. */
export interface PlanOptions extends EngineOptions {
  /** The cluster the plan is for; everything it reads and writes carries these labels. */
  readonly owner: Owner;
  /**
   * A key that is not in the plan (for example derived from the key store passphrase). With it,
   * each secret field shows as `hmac-sha256:<hex>` keyed by it, so two plans show whether a
   * secret changed; the same key gives byte-identical plans. Without it secrets show only as
   * `(secret)`, or `(secret, changed)` when the step changes them. @default none
   */
  readonly secretKey?: string | Uint8Array;
}

/** Time limits. */
export interface Timeouts {
  /**
   * Longest a step may take, retries included, in milliseconds. The clock starts when the step
   * gets its first concurrency slot, so waiting behind other steps does not count. A step that
   * runs out of time is reported unknown (its last call may still take effect). @default
   * unlimited
   */
  readonly stepMs?: number;
  /**
   * Longest to wait, after a step ran out of time, for its provider call to return before the
   * run ends and the cluster lock is released, in milliseconds. @default 30000
   */
  readonly settleMs?: number;
}

/** Options of the calls that change the cloud. */
export interface ExecutionOptions extends EngineOptions {
  /** Provider calls in flight at once. @default 8 */
  readonly concurrency?: number;
  /** Time limits. */
  readonly timeouts?: Timeouts;
  /** Who takes the cluster lock. @default `<hostname>:<pid>` */
  readonly holder?: string;
}

/** Options of {@link apply}. */
export interface ApplyOptions extends ExecutionOptions {
  /**
   * What to do when what exists changed since the plan was made: refuse (`error`) or plan
   * again and apply the new plan (`replan`). @default 'error'
   */
  readonly onStale?: 'error' | 'replan';
}

/** Options of {@link destroy}. */
export type DestroyOptions = ExecutionOptions;
