import { Command } from '@commander-js/extra-typings';
import type { CommandContext } from '../command-context.js';

/**
 * `hakoc apply SPEC|plan.json`: makes the cloud match the spec. A spec is planned first and
 * applied once approved (a yes at the prompt, or `--auto-approve`); a saved, reviewed plan is
 * its own approval and is applied only if it still holds (nothing changed since).
 */
export function applyCommand(ctx: CommandContext) {
  return new Command('apply')
    .description('create and change the cluster until it matches the spec')
    .argument('<spec-or-plan>', 'cluster spec file, or a plan saved with `hakoc plan --out`')
    .option('--auto-approve', 'apply without asking for approval of the plan first')
    .option('--json', 'print the result (steps, outputs) as JSON on stdout')
    .option('--dir <dir>', 'key store folder (default: spec.keyStore.dir)')
    .option('--emulator', 'apply to an in-process GCE emulator (seeded from the spec)')
    .option('--emulator-state <file>', 'keep the emulator world in this file (implies --emulator)')
    .addHelpText(
      'after',
      `
Examples:
  $ hakoc apply cluster.yaml                    # shows the plan, asks before changing anything
  $ hakoc apply cluster.yaml --auto-approve     # in a pipeline
  $ hakoc plan cluster.yaml --out plan.json && hakoc apply plan.json
  $ hakoc apply cluster.yaml --emulator-state world.json --auto-approve

On a terminal, apply shows the plan and asks (default no). Without a terminal and without
--auto-approve it shows the plan, changes nothing and exits 4. A second apply while one runs
is refused (exit 5) and names the holder; a lock left by a killed run: hakoc lock break SPEC.`,
    )
    .action(async (target, options) => {
      const { applyAction } = await import('../actions/apply.js');
      await applyAction(ctx, target, options);
    });
}

/** The options `hakoc apply` parses. */
export type ApplyOptions = ReturnType<ReturnType<typeof applyCommand>['opts']>;
