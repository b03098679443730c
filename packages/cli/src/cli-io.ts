import { styleText } from 'node:util';

/**
 * Where the command reads its environment and writes its output. Results go to `stdout`,
 * progress and diagnostics to `stderr`, so `hakoc … > file` captures only the result. Tests and
 * embedding programs pass their own.
 */
export interface CliIo {
  /** Receives results (plans, models, JSON). */
  readonly stdout: (text: string) => void;
  /** Receives diagnostics, progress and summaries. */
  readonly stderr: (text: string) => void;
  /** Environment variables (`NO_COLOR`, `HAKOC_PASSPHRASE`, …). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Working directory that relative paths are resolved against. */
  readonly cwd: string;
  /** Whether stderr is a terminal (colours, live progress lines). */
  readonly interactive: boolean;
  /** Asks for a secret without echoing it; absent when there is no terminal to ask on. */
  readonly readSecret?: (message: string) => Promise<string>;
  /**
   * Asks a yes/no question, the answer no unless the user says yes; absent when there is no
   * terminal to ask on (then a command that needs approval refuses instead of waiting).
   */
  readonly confirm?: (message: string) => Promise<boolean>;
}

/** The real process: its streams, environment and working directory. */
export function processIo(): CliIo {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    env: process.env,
    cwd: process.cwd(),
    interactive: process.stderr.isTTY === true,
    ...(process.stdin.isTTY && process.stderr.isTTY
      ? { readSecret: askHidden, confirm: askYesNo }
      : {}),
  };
}

// Loaded on first use: most commands never prompt, and start-up time matters for a CLI.
async function askHidden(message: string): Promise<string> {
  const { default: password } = await import('@inquirer/password');
  return password({ message, mask: true }, { output: process.stderr });
}

async function askYesNo(message: string): Promise<boolean> {
  const { default: confirm } = await import('@inquirer/confirm');
  try {
    return await confirm({ message, default: false }, { output: process.stderr });
  } catch (error) {
    // Ctrl-C at the prompt (the terminal is in raw mode, so it arrives as a key) is a no.
    if (error instanceof Error && error.name === 'ExitPromptError') return false;
    throw error;
  }
}

/** Text styles the command uses; all of them plain text when colour is off. */
export interface Palette {
  readonly error: (text: string) => string;
  readonly warning: (text: string) => string;
  readonly ok: (text: string) => string;
  readonly dim: (text: string) => string;
  readonly bold: (text: string) => string;
}

/** Colour only on a terminal, and never when `NO_COLOR` is set (https://no-color.org). */
export function paletteFor(io: CliIo): Palette {
  const colour = io.interactive && !io.env.NO_COLOR;
  const style =
    (format: Parameters<typeof styleText>[0]) =>
    (text: string): string =>
      colour ? styleText(format, text, { validateStream: false }) : text;
  return {
    error: style('red'),
    warning: style('yellow'),
    ok: style('green'),
    dim: style('dim'),
    bold: style('bold'),
  };
}
