import type { CliIo } from '../cli-io.js';
import { ExitCode } from '../exit-codes.js';
import { RESUME_HINT } from './resume-hint.js';

/** The exit status after a second Ctrl-C: 128 + SIGINT, what shells report for it. */
export const INTERRUPTED_EXIT_CODE = ExitCode.Interrupted;

/** Where SIGINT comes from: the process, or a stand-in in tests. */
export interface SignalSource {
  /** Starts listening. */
  on(signal: 'SIGINT', listener: () => void): unknown;
  /** Stops listening. */
  off(signal: 'SIGINT', listener: () => void): unknown;
}

/** Options of {@link interruptSignal} and {@link withInterrupt}. */
export interface InterruptOptions {
  /**
   * Shows a message to the user; pass the progress reporter's `note` so it lands above the
   * live lines, not in the middle of them.
   * @default a line on `io.stderr`
   */
  readonly notify?: (message: string) => void;
  /** Where SIGINT comes from. @default process */
  readonly signals?: SignalSource;
  /** Ends the process at once. @default process.exit */
  readonly exit?: (code: number) => void;
}

/** Ctrl-C, turned into an `AbortSignal` for the engine. */
export interface Interrupt extends Disposable {
  /** Aborted at the first Ctrl-C. */
  readonly signal: AbortSignal;
  /** Stops listening for Ctrl-C; a Ctrl-C afterwards ends the process the usual way. */
  dispose(): void;
}

/**
 * Listens for Ctrl-C while long work runs. The first one aborts {@link Interrupt.signal}: the
 * engine starts no new step and reports the ones in flight as they end. The second one ends
 * the process at once with {@link ExitCode.Interrupted} (130). Both say that running the command
 * again resumes, which holds because hakoc plans from what exists in the cloud.
 */
export function interruptSignal(io: CliIo, options: InterruptOptions = {}): Interrupt {
  const controller = new AbortController();
  const notify = options.notify ?? ((message: string) => io.stderr(`${message}\n`));
  const signals = options.signals ?? process;
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const onSigint = (): void => {
    if (!controller.signal.aborted) {
      notify(
        'Interrupted: no new steps will start; waiting for the ones in flight to finish. Press Ctrl-C again to stop now.',
      );
      controller.abort(new Error('interrupted by Ctrl-C'));
      return;
    }
    notify(`Stopped now; steps that were in flight may or may not have finished. ${RESUME_HINT}`);
    exit(INTERRUPTED_EXIT_CODE);
  };
  signals.on('SIGINT', onSigint);
  const dispose = (): void => {
    signals.off('SIGINT', onSigint);
  };
  return { signal: controller.signal, dispose, [Symbol.dispose]: dispose };
}

/**
 * Runs `work` with an {@link interruptSignal} and stops listening when it settles, however it
 * settles.
 */
export async function withInterrupt<T>(
  io: CliIo,
  work: (signal: AbortSignal) => Promise<T>,
  options: InterruptOptions = {},
): Promise<T> {
  const interrupt = interruptSignal(io, options);
  try {
    return await work(interrupt.signal);
  } finally {
    interrupt.dispose();
  }
}
