import { Command } from '@commander-js/extra-typings';
import { openClusterSession } from '../cluster-session.js';
import type { CommandContext } from '../command-context.js';
import { runWithProgress } from '../engine-run.js';
import { ExitCode } from '../exit-codes.js';

/**
 * `hakoc destroy SPEC --auto-approve`: deletes everything that carries the cluster's ownership
 * labels or marker, and nothing else.
 */
export function destroyCommand(ctx: CommandContext) {
  return new Command('destroy')
    .description("delete every cloud object of the cluster (only objects marked as the cluster's)")
    .argument('<spec>', 'cluster spec file (YAML or JSON)')
    .option('--auto-approve', 'required: destroying is not undone')
    .option('--json', 'print the result as JSON on stdout')
    .option('--emulator', 'destroy in an in-process GCE emulator')
    .option('--emulator-state <file>', 'keep the emulator world in this file (implies --emulator)')
    .addHelpText(
      'after',
      `
Examples:
  $ hakoc destroy cluster.yaml --auto-approve`,
    )
    .action(async (specPath, options) => {
      const { io, palette } = ctx;
      if (!options.autoApprove) {
        io.stderr(`${palette.warning('Nothing destroyed.')} Destroying needs --auto-approve.\n`);
        ctx.exitWith(ExitCode.Failure);
        return;
      }
      const session = await openClusterSession(specPath, options, ctx);
      if (session === undefined) return;
      try {
        const result = await runWithProgress(ctx, options.json === true, (run) =>
          session.destroy(run),
        );
        // The progress summary already said what was deleted; stdout keeps only the result.
        if (result !== undefined && options.json) {
          io.stdout(
            `${JSON.stringify({ totals: result.totals, finished: result.finished }, null, 2)}\n`,
          );
        }
      } finally {
        await session.close();
      }
    });
}
