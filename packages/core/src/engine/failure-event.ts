import { asError } from './as-error.js';
import { emitterFor } from './emitter.js';
import type { EngineOperation } from './events.js';
import type { ExecutionOptions } from './options.js';

/**
 * Runs an apply or destroy so that a progress display always hears how it ended: when `work`
 * fails without having reported `apply.finished` (the lock was held elsewhere, the plan was
 * stale, a read failed), an `apply.failed` event says so.
 */
export async function withFailureEvent<Options extends ExecutionOptions, T>(
  operation: EngineOperation,
  cluster: string,
  options: Options,
  work: (options: Options) => Promise<T>,
): Promise<T> {
  const listener = options.onEvent;
  const emit = emitterFor(listener);
  let finished = false;
  const watched: Options = {
    ...options,
    onEvent: (event) => {
      if (event.type === 'apply.finished') finished = true;
      return listener?.(event);
    },
  };
  const started = performance.now();
  try {
    return await work(watched);
  } catch (error) {
    if (!finished) {
      emit({
        type: 'apply.failed',
        operation,
        cluster,
        error: asError(error),
        durationMs: performance.now() - started,
      });
    }
    throw error;
  }
}
