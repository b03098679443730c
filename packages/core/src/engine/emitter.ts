import type { EngineEvent } from './events.js';

/** Sends one event to the caller. */
export type Emit = (event: EngineEvent) => void;

/** An {@link Emit} that never lets the caller's listener break the run. */
export function emitterFor(onEvent: ((event: EngineEvent) => void) | undefined): Emit {
  return (event) => {
    try {
      onEvent?.(event);
    } catch {
      // A progress display that throws must not fail an apply halfway through.
    }
  };
}

/** A signal that never aborts, for calls made without one. */
export function neverAborted(): AbortSignal {
  return new AbortController().signal;
}
