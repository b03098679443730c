import { Command } from '@commander-js/extra-typings';
import type { CommandContext } from '../command-context.js';

/** `--detailed-exitcode`: the plan has changes (Terraform's convention). */
export const PLAN_HAS_CHANGES = 2;

/**
 * `hakoc plan SPEC`: what apply would change, read from the cloud (nothing is changed), with
 * every replacement's reason. `--out` saves it for `hakoc apply plan.json`.
 */
export function planCommand(ctx: CommandContext) {
  return new Command('plan')
    .description('show what apply would create, change and delete (changes nothing)')
    .argument('<spec>', 'cluster spec file (YAML or JSON)')
    .option('--out <file>', 'save the plan for `hakoc apply <file>`')
    .option('--detailed-exitcode', 'exit 0 without changes, 2 with changes, 1 on error')
    .option('--json', 'print the plan document as JSON on stdout')
    .option('--dir <dir>', 'key store folder (default: spec.keyStore.dir)')
    .option('--emulator', 'plan against an in-process GCE emulator (seeded from the spec)')
    .option('--emulator-state <file>', 'keep the emulator world in this file (implies --emulator)')
    .addHelpText(
      'after',
      `
Examples:
  $ hakoc plan cluster.yaml
  $ hakoc plan cluster.yaml --out plan.json && hakoc apply plan.json
  $ hakoc plan cluster.yaml --detailed-exitcode   # 0 no changes, 2 changes, 1 error
  $ hakoc plan cluster.yaml --emulator            # against an in-process GCE emulator

Reads what exists (one list call per resource type) and changes nothing; replacements say why.
Boot configs are rendered to compare them, so the key store and its passphrase are needed.`,
    )
    .action(async (specPath, options) => {
      const { planAction } = await import('../actions/plan.js');
      await planAction(ctx, specPath, options);
    });
}

/** The options `hakoc plan` parses. */
export type PlanOptions = ReturnType<ReturnType<typeof planCommand>['opts']>;
