import { Command, Option } from '@commander-js/extra-typings';
import type { CommandContext } from '../command-context.js';

/** The notations `hakoc graph` writes. */
const GRAPH_FORMATS = ['mermaid', 'dot'] as const;

/**
 * `hakoc graph SPEC`: the plan's graph — every step, coloured by what it does, with an arrow to
 * each step that waits for it — as Mermaid or Graphviz DOT on stdout.
 */
export function graphCommand(ctx: CommandContext) {
  return new Command('graph')
    .description("print the plan's dependency graph as Mermaid or Graphviz DOT (changes nothing)")
    .argument('<spec>', 'cluster spec file (YAML or JSON)')
    .addOption(
      new Option('--format <format>', 'notation of the graph')
        .choices(GRAPH_FORMATS)
        .default('mermaid' as const),
    )
    .option('--dir <dir>', 'key store folder (default: spec.keyStore.dir)')
    .option('--emulator', 'plan against an in-process GCE emulator (seeded from the spec)')
    .option('--emulator-state <file>', 'keep the emulator world in this file (implies --emulator)')
    .addHelpText(
      'after',
      `
Examples:
  $ hakoc graph cluster.yaml --emulator > plan.mmd
  $ hakoc graph cluster.yaml --format dot | dot -Tsvg > plan.svg

Steps are labelled "<action> <type>/<name>" and coloured by action (create, update, replace,
delete, unchanged); an arrow points from a step to the steps that wait for it.`,
    )
    .action(async (specPath, options) => {
      const { graphAction } = await import('../actions/graph.js');
      await graphAction(ctx, specPath, options);
    });
}

/** The options `hakoc graph` parses. */
export type GraphOptions = ReturnType<ReturnType<typeof graphCommand>['opts']>;
