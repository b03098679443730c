import { resolve } from 'node:path';
import { Command } from '@commander-js/extra-typings';
import { buildClusterModel, readClusterSpecFile } from '@hakoc/core';
import { stringify } from 'yaml';
import type { CommandContext } from '../command-context.js';
import { ExitCode } from '../exit-codes.js';
import { countDiagnostics, formatDiagnostic } from '../format/diagnostics.js';

/** `hakoc validate SPEC`: every problem in a spec at once, with where it is and how to fix it. */
export function validateCommand(ctx: CommandContext) {
  return new Command('validate')
    .description('check a cluster spec and report every problem in it at once')
    .argument('<spec>', 'cluster spec file (YAML or JSON)')
    .option('--json', 'print the result as JSON on stdout')
    .option('--model', 'also print the cluster model the spec produces')
    .addHelpText(
      'after',
      `
Examples:
  $ hakoc validate cluster.yaml
  $ hakoc validate cluster.yaml --json | jq '.diagnostics[].path'
  $ hakoc validate cluster.yaml --model

Exit status: 0 when the spec is valid (warnings are printed), 1 when it is not.`,
    )
    .action(async (specPath, options) => {
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
    });
}
