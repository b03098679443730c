import { CommanderError, type CommandUnknownOpts } from '@commander-js/extra-typings';
import { type CliIo, paletteFor } from './cli-io.js';
import type { CommandContext } from './command-context.js';
import { ExitCode } from './exit-codes.js';
import { jsonRequested, writeCommandFailure } from './output-error.js';
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
  const json = jsonRequested(args);
  const program = createProgram(ctx);
  program.exitOverride();
  // With --json a usage error is written once, as JSON, by reportError.
  const outputError = (text: string, write: (text: string) => void) =>
    json ? undefined : write(palette.error(text));
  program.configureOutput({ writeOut: io.stdout, writeErr: io.stderr, outputError });
  // Commander only passes these settings to subcommands it creates itself, not added ones.
  const configure = (command: CommandUnknownOpts) => {
    command.exitOverride();
    command.configureOutput({ writeOut: io.stdout, writeErr: io.stderr, outputError });
    command.commands.forEach(configure);
  };
  program.commands.forEach(configure);
  try {
    await program.parseAsync([...args], { from: 'user' });
    return exitCode;
  } catch (error) {
    return await reportError(error, ctx, json);
  }
}

async function reportError(error: unknown, ctx: CommandContext, json: boolean): Promise<ExitCode> {
  if (error instanceof CommanderError) {
    const finished = ['commander.helpDisplayed', 'commander.version', 'commander.help'];
    if (finished.includes(error.code)) return ExitCode.Ok;
    if (json) {
      const message = error.message.replace(/^error: /, '');
      const hint = 'hakoc --help lists the commands; hakoc COMMAND --help, their options';
      writeCommandFailure(ctx, true, {
        code: 'HAKOC_USAGE',
        message,
        hint,
        exitCode: ExitCode.Usage,
      });
    }
    return ExitCode.Usage;
  }
  // Loaded only on failure: `hakoc --help` must not pay for @hakoc/core.
  const { isHakocError, isLockedError } = await import('@hakoc/core');
  if (isHakocError(error)) {
    const exitCode = isLockedError(error) ? ExitCode.Locked : ExitCode.Failure;
    const { code, message, hint } = error;
    writeCommandFailure(ctx, json, { code, message, hint, exitCode });
    return exitCode;
  }
  writeCommandFailure(ctx, json, {
    code: 'HAKOC_INTERNAL',
    message: error instanceof Error ? error.message : String(error),
    hint: 'hakoc did not expect this error: please report it',
    exitCode: ExitCode.Internal,
    ...(error instanceof Error && error.stack !== undefined ? { detail: error.stack } : {}),
  });
  return ExitCode.Internal;
}
