import type { EngineEvent } from '@hakoc/core';
import type { CommandContext } from './command-context.js';
import { ExitCode } from './exit-codes.js';
import { createProgressReporter, withInterrupt } from './progress/index.js';

/** What a command hands the engine while its progress is shown: spread it into the options. */
export interface EngineRun {
  /** Shows the event on stderr. */
  readonly onEvent: (event: EngineEvent) => void;
  /** Aborted at the first Ctrl-C. */
  readonly signal: AbortSignal;
  /**
   * Shows a message of the command's own in step with the progress (above live lines, or as a
   * `cli.notice` JSON line with `--json`), so nothing is written across the live display.
   */
  readonly note: (message: string) => void;
}

/**
 * Runs a command's engine calls with their progress on stderr (live lines, plain lines or JSON
 * lines, as suits stderr) and the first Ctrl-C turned into an abort. Resolves to what `work`
 * resolves to, or to `undefined` once the run was interrupted: the exit code is then
 * {@link ExitCode.Interrupted} and the progress has already said how to resume, so the engine's
 * error is not printed again. Any other error is rethrown for `runCli` to report.
 */
export async function runWithProgress<T>(
  ctx: CommandContext,
  json: boolean,
  work: (run: EngineRun) => Promise<T>,
): Promise<T | undefined> {
  const reporter = createProgressReporter(ctx.io, { json });
  let interrupted: AbortSignal | undefined;
  try {
    return await withInterrupt(
      ctx.io,
      (signal) => {
        interrupted = signal;
        return work({ onEvent: reporter.onEvent, signal, note: reporter.note });
      },
      { notify: reporter.note },
    );
  } catch (error) {
    if (interrupted?.aborted !== true) throw error;
    ctx.exitWith(ExitCode.Interrupted);
    return undefined;
  } finally {
    // Before runCli prints an error, so the message lands below the progress, not inside it.
    reporter.finish();
  }
}
