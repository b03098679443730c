import type { CommandContext } from './command-context.js';
import { ExitCode } from './exit-codes.js';

/** The error a `hakoc` run ends with, as `runCli` reports it. */
export interface CommandFailure {
  /** A stable code: a `HakocError`'s, `HAKOC_USAGE` or `HAKOC_INTERNAL`. */
  readonly code: string;
  /** What went wrong, one line (an unexpected error's stack follows it in `detail`). */
  readonly message: string;
  /** What to do about it, when known. */
  readonly hint: string | undefined;
  /** The exit code the run ends with. */
  readonly exitCode: ExitCode;
  /** More for a bug report: an unexpected error's stack. */
  readonly detail?: string;
}

/**
 * Whether the command line asks for JSON output: `--json` among the options, before any `--`.
 * Read from the arguments themselves, since a run can fail before (or while) they are parsed.
 */
export function jsonRequested(args: readonly string[]): boolean {
  const end = args.indexOf('--');
  return (end === -1 ? args : args.slice(0, end)).includes('--json');
}

/**
 * Writes the closing error on stderr: with `--json` one `cli.error` JSON line (as every other
 * stderr line is then), otherwise `error: MESSAGE [CODE]` and its hint, or the internal-error
 * notice asking for a report.
 */
export function writeCommandFailure(
  { io, palette }: Pick<CommandContext, 'io' | 'palette'>,
  json: boolean,
  failure: CommandFailure,
): void {
  if (json) {
    const { code, message, hint, exitCode, detail } = failure;
    const line = { type: 'cli.error', code, message, hint: hint ?? null, exitCode };
    io.stderr(`${JSON.stringify(detail === undefined ? line : { ...line, detail })}\n`);
    return;
  }
  if (failure.exitCode === ExitCode.Internal) {
    io.stderr(
      `${palette.error('internal error')} (please report it): ${failure.detail ?? failure.message}\n`,
    );
    return;
  }
  io.stderr(`${palette.error('error')}: ${failure.message} ${palette.dim(`[${failure.code}]`)}\n`);
  if (failure.hint) io.stderr(`    hint: ${failure.hint}\n`);
}
