import { resolve } from 'node:path';
import { type ClusterSpec, readClusterSpecFile } from '@hakoc/core';
import type { CommandContext } from './command-context.js';
import { ExitCode } from './exit-codes.js';
import { formatDiagnostic } from './format/diagnostics.js';

/**
 * Reads a spec for a command that needs a valid one: prints every diagnostic (warnings too) to
 * stderr, and on errors records exit code 1 and returns undefined.
 */
export async function loadSpecForCommand(
  specPath: string,
  ctx: CommandContext,
): Promise<ClusterSpec | undefined> {
  const result = await readClusterSpecFile(resolve(ctx.io.cwd, specPath));
  for (const diagnostic of result.diagnostics) {
    ctx.io.stderr(formatDiagnostic(diagnostic, specPath, ctx.palette));
  }
  if (result.ok) return result.spec;
  ctx.exitWith(ExitCode.Failure);
  return undefined;
}
