import { CommanderError, type CommandUnknownOpts } from '@commander-js/extra-typings';
import { type CliIo, paletteFor } from './cli-io.js';
import type { CommandContext } from './command-context.js';
import { ExitCode } from './exit-codes.js';
import { createProgram } from './program.js';

/**
 * Runs the `hakoc` command with the given arguments (without `node` and the script name) and
 * resolves to its exit code. It never exits the process and never throws, so programs and tests
 * can embed it.
 */
export async function runCli(args: readonly string[], io: CliIo): Promise<ExitCode> {
  let exitCode: ExitCode = ExitCode.Ok;
  const palette = paletteFor(io);
  const ctx: CommandContext = {
    io,
    palette,
    exitWith: (code) => {
      if (code > exitCode) exitCode = code;
    },
  };
  const program = createProgram(ctx);
  program.exitOverride();
  program.configureOutput({
    writeOut: io.stdout,
    writeErr: io.stderr,
    outputError: (text, write) => write(palette.error(text)),
  });
  // Commander only passes these settings to subcommands it creates itself, not added ones.
  const configure = (command: CommandUnknownOpts) => {
    command.exitOverride();
    command.configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
    command.commands.forEach(configure);
  };
  program.commands.forEach(configure);
  try {
    await program.parseAsync([...args], { from: 'user' });
    return exitCode;
  } catch (error) {
    return await reportError(error, ctx);
  }
}

async function reportError(error: unknown, { io, palette }: CommandContext): Promise<ExitCode> {
  if (error instanceof CommanderError) {
    const finished = ['commander.helpDisplayed', 'commander.version', 'commander.help'];
    return finished.includes(error.code) ? ExitCode.Ok : ExitCode.Usage;
  }
  // Loaded only on failure: `hakoc --help` must not pay for @hakoc/core.
  const { isHakocError, isLockedError } = await import('@hakoc/core');
  if (isHakocError(error)) {
    io.stderr(`${palette.error('error')}: ${error.message} ${palette.dim(`[${error.code}]`)}\n`);
    if (error.hint) io.stderr(`    hint: ${error.hint}\n`);
    return isLockedError(error) ? ExitCode.Locked : ExitCode.Failure;
  }
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  io.stderr(`${palette.error('internal error')} (please report it): ${detail}\n`);
  return ExitCode.Internal;
}
