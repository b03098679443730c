import { type Command, CommanderError } from '@commander-js/extra-typings';
import { type CliIo, ExitCode, paletteFor } from '@hakoc/cli';
import { isHakocError } from '@hakoc/core';
import type { CommandContext } from '../../src/command-context.js';

/** How a command run ended: its exit code and, when it threw, the error. */
export interface CommandOutcome {
  readonly code: ExitCode;
  readonly error?: { readonly code: string; readonly message: string; readonly hint?: string };
}

/**
 * Runs one command the way `runCli` runs it — same context, exit codes for hakoc errors and
 * bad usage — for commands not yet wired into the program.
 */
export async function runCommand(
  make: (ctx: CommandContext) => Command<unknown[], Record<string, unknown>>,
  args: readonly string[],
  io: CliIo,
): Promise<CommandOutcome> {
  let code: ExitCode = ExitCode.Ok;
  const ctx: CommandContext = {
    io,
    palette: paletteFor(io),
    exitWith: (next) => {
      if (next > code) code = next;
    },
  };
  const command = make(ctx);
  command.exitOverride();
  command.configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  try {
    await command.parseAsync([...args], { from: 'user' });
    return { code };
  } catch (error) {
    if (error instanceof CommanderError) {
      return { code: error.code === 'commander.helpDisplayed' ? ExitCode.Ok : ExitCode.Usage };
    }
    if (!isHakocError(error)) throw error;
    const hint = error.hint === undefined ? {} : { hint: error.hint };
    return { code: ExitCode.Failure, error: { code: error.code, message: error.message, ...hint } };
  }
}
