import { Command } from '@commander-js/extra-typings';
import type { CommandContext } from '../command-context.js';

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
      const { validateAction } = await import('../actions/validate.js');
      await validateAction(ctx, specPath, options);
    });
}

/** The options `hakoc validate` parses. */
export type ValidateOptions = ReturnType<ReturnType<typeof validateCommand>['opts']>;
