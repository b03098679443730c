import pRetry from 'p-retry';
import type { RetryPolicy } from './options.js';
import { isProviderError, type ProviderError } from './provider-error.js';

/** How {@link callWithRetry} runs one provider call. */
export interface RetrySettings {
  /** The caller's policy; missing fields take the documented defaults. */
  readonly policy: RetryPolicy | undefined;
  /** Stops retrying (and waiting) when it aborts. */
  readonly signal: AbortSignal;
  /** Turns anything a provider threw that is not a {@link ProviderError} into one. */
  readonly classify: (error: unknown) => ProviderError;
  /** Told before each retry. */
  readonly onRetry?: (error: ProviderError, attempt: number, delayMs: number) => void;
}

/**
 * Runs `call`, retrying {@link ProviderError}s marked retryable with exponential backoff and
 * jitter, bounded by `retries` and `maxRetryTimeMs`; every other error ends it at once.
 */
export async function callWithRetry<T>(
  call: (attempt: number) => Promise<T>,
  settings: RetrySettings,
): Promise<T> {
  const policy = settings.policy ?? {};
  let outcome: { readonly value: T } | undefined;
  try {
    return await pRetry(
      async (attempt) => {
        try {
          const value = await call(attempt);
          outcome = { value };
          return value;
        } catch (error) {
          throw isProviderError(error) ? error : settings.classify(error);
        }
      },
      {
        retries: policy.retries ?? 6,
        minTimeout: policy.minDelayMs ?? 1000,
        maxTimeout: policy.maxDelayMs ?? 30_000,
        factor: policy.factor ?? 2,
        randomize: policy.jitter ?? true,
        maxRetryTime: policy.maxRetryTimeMs ?? 300_000,
        signal: settings.signal,
        shouldRetry: ({ error, attemptNumber, retryDelay }) => {
          if (!isProviderError(error) || !error.retryable) return false;
          settings.onRetry?.(error, attemptNumber, retryDelay);
          return true;
        },
      },
    );
  } catch (error) {
    // p-retry checks the signal once more after a call succeeds; a call that did finish must
    // still count as finished, or an abort would hide work that was done.
    if (outcome !== undefined) return outcome.value;
    throw error;
  }
}
