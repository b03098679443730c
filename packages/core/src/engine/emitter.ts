import type { EngineEvent } from './events.js';

/** Sends one event to the caller. */
export type Emit = (event: EngineEvent) => void;

/**
 * What a caller's event listener may be: plain, or async (its promise is not awaited). A union of
 * two function types rather than one returning `void | Promise<void>`, so a listener like
 * `(e) => events.push(e)`, which returns a number, still fits.
 */
export type EngineEventListener =
  | ((event: EngineEvent) => void)
  | ((event: EngineEvent) => Promise<void>);

/** An {@link Emit} that never lets the caller's listener break the run. */
export function emitterFor(onEvent: EngineEventListener | undefined): Emit {
  return (event) => {
    try {
      const returned = onEvent?.(event);
      // An async listener that rejects would otherwise be an unhandled rejection, which ends the
      // process — with the cluster lock still held.
      if (returned !== undefined) void Promise.resolve(returned).catch(ignore);
    } catch {
      // A progress display that throws must not fail an apply halfway through.
    }
  };
}

function ignore(): void {}
