import { resolve } from 'node:path';
import { buildClusterModel, readClusterSpecFile } from '@hakoc/core';
import { stringify } from 'yaml';
import type { CommandContext } from '../command-context.js';
import type { ValidateOptions } from '../commands/validate.js';
import { ExitCode } from '../exit-codes.js';
import { countDiagnostics, formatDiagnostic } from '../format/diagnostics.js';

/** What `hakoc validate SPEC` does: every problem in the spec at once. */
export async function validateAction(
  ctx: CommandContext,
  specPath: string,
  options: ValidateOptions,
): Promise<void> {
  const { io, palette } = ctx;
  const result = await readClusterSpecFile(resolve(io.cwd, specPath));
  const model = result.ok && options.model ? buildClusterModel(result.spec) : undefined;
  if (!result.ok) ctx.exitWith(ExitCode.Failure);

  if (options.json) {
    const output = { file: specPath, valid: result.ok, diagnostics: result.diagnostics };
    io.stdout(`${JSON.stringify(model ? { ...output, model } : output, null, 2)}\n`);
    return;
  }
  for (const diagnostic of result.diagnostics) {
    io.stderr(formatDiagnostic(diagnostic, specPath, palette));
  }
  if (result.ok) {
    io.stderr(
      `${palette.ok('✓')} ${specPath} is valid (${countDiagnostics(result.diagnostics)})\n`,
    );
    if (model) io.stdout(stringify(model));
  } else {
    io.stderr(
      `${palette.error('✗')} ${specPath} is not valid: ${countDiagnostics(result.diagnostics)}\n`,
    );
  }
}
