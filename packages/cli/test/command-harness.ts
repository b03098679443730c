import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from '@commander-js/extra-typings';
import type { ExitCode } from '@hakoc/cli';
import { paletteFor } from '../src/cli-io.js';
import type { CommandContext } from '../src/command-context.js';
import { captureIo } from './capture-io.js';

/** How a command ended: its exit code and what it wrote. */
export interface CommandRun {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/**
 * Runs one command made by `make(ctx)` in a local program (the commands are wired into
 * `hakoc` separately) and resolves to its exit code and output.
 */
export async function runCommand(
  make: (ctx: CommandContext) => Command<unknown[], Record<string, unknown>>,
  args: readonly string[],
): Promise<CommandRun> {
  const io = captureIo();
  let code: ExitCode = 0;
  const ctx: CommandContext = {
    io,
    palette: paletteFor(io),
    exitWith: (next) => {
      if (next > code) code = next;
    },
  };
  const program = new Command('hakoc').exitOverride().addCommand(make(ctx).exitOverride());
  await program.parseAsync([...args], { from: 'user' });
  return { code, out: io.out(), err: io.err() };
}

/** A scratch folder, removed by the returned function. */
export function scratch(): { readonly dir: string; readonly remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'hakoc-cli-gce-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The example GCE spec, relative to the repository root (the captured io's cwd). */
export const GCE_SPEC = 'examples/gce.yaml';
