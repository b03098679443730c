import { Command } from '@commander-js/extra-typings';
import type { CommandContext } from '../command-context.js';

/**
 * `hakoc destroy SPEC`: deletes everything that carries the cluster's ownership labels or
 * marker, and nothing else, once approved (a yes at the prompt, or `--auto-approve`).
 */
export function destroyCommand(ctx: CommandContext) {
  return new Command('destroy')
    .description("delete every cloud object of the cluster (only objects marked as the cluster's)")
    .argument('<spec>', 'cluster spec file (YAML or JSON)')
    .option('--auto-approve', 'destroy without asking first (needed without a terminal)')
    .option('--json', 'print the result as JSON on stdout')
    .option('--emulator', 'destroy in an in-process GCE emulator')
    .option('--emulator-state <file>', 'keep the emulator world in this file (implies --emulator)')
    .addHelpText(
      'after',
      `
Examples:
  $ hakoc destroy cluster.yaml                  # lists what goes, asks first
  $ hakoc destroy cluster.yaml --auto-approve   # in a pipeline
  $ hakoc destroy cluster.yaml --emulator-state world.json --auto-approve

Only objects labelled (or marked) as this cluster's are deleted, never by name alone. On a
terminal, destroy lists them per type and asks (default no). Without a terminal and without
--auto-approve it refuses before reading anything (exit 4). The user's DNS zone is kept.`,
    )
    .action(async (specPath, options) => {
      const { destroyAction } = await import('../actions/destroy.js');
      await destroyAction(ctx, specPath, options);
    });
}

/** The options `hakoc destroy` parses. */
export type DestroyOptions = ReturnType<ReturnType<typeof destroyCommand>['opts']>;
