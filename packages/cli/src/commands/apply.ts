import { resolve } from 'node:path';
import { Command } from '@commander-js/extra-typings';
import { apply, hasChanges, type Plan } from '@hakoc/core';
import { apiEndpointOf, type ClusterOutputs } from '../cluster-outputs.js';
import { openClusterSession } from '../cluster-session.js';
import type { CommandContext } from '../command-context.js';
import { runWithProgress } from '../engine-run.js';
import { ExitCode } from '../exit-codes.js';
import { formatPlan } from '../format/plan.js';
import { readPlanFile } from '../plan-file.js';

/**
 * `hakoc apply SPEC|plan.json`: makes the cloud match the spec. A saved plan is applied only if
 * it still holds (nothing changed since); a spec is planned first and applied with
 * `--auto-approve` (a saved, reviewed plan is its own approval).
 */
export function applyCommand(ctx: CommandContext) {
  return new Command('apply')
    .description('create and change the cluster until it matches the spec')
    .argument('<spec-or-plan>', 'cluster spec file, or a plan saved with `hakoc plan --out`')
    .option('--auto-approve', 'apply without showing the plan for approval first')
    .option('--json', 'print the result (steps, outputs) as JSON on stdout')
    .option('--dir <dir>', 'key store folder (default: spec.keyStore.dir)')
    .option('--emulator', 'apply to an in-process GCE emulator (seeded from the spec)')
    .option('--emulator-state <file>', 'keep the emulator world in this file (implies --emulator)')
    .addHelpText(
      'after',
      `
Examples:
  $ hakoc apply cluster.yaml --auto-approve
  $ hakoc plan cluster.yaml --out plan.json && hakoc apply plan.json

Without --auto-approve and without a saved plan, apply shows the plan and changes nothing.`,
    )
    .action(async (target, options) => {
      const { io, palette } = ctx;
      const saved = await readPlanFile(resolve(io.cwd, target));
      const specPath = saved?.specPath ?? target;
      const session = await openClusterSession(specPath, options, ctx);
      if (session === undefined) return;
      try {
        const result = await runWithProgress(ctx, options.json === true, async (run) => {
          const planned: Plan<ClusterOutputs> =
            saved === undefined ? await session.plan(run) : await session.loadPlan(saved.plan, run);
          // Nothing is running between planning and applying, so no live line is in the way.
          if (!options.json) io.stderr(formatPlan(planned, palette));
          if (saved === undefined && !options.autoApprove && hasChanges(planned)) {
            io.stderr(
              `${palette.warning('Nothing applied.')} Re-run with --auto-approve, or save the plan with \`hakoc plan --out\` and apply that.\n`,
            );
            ctx.exitWith(ExitCode.Failure);
            return undefined;
          }
          return apply(planned, run);
        });
        if (result === undefined) return;
        // The progress summary already counted the steps; stdout keeps only the result.
        if (options.json) {
          io.stdout(
            `${JSON.stringify({ totals: result.totals, finished: result.finished, outputs: result.outputs }, null, 2)}\n`,
          );
        } else if (result.outputs !== undefined) {
          const api = apiEndpointOf(result.outputs);
          io.stdout(
            `API: ${api.url ?? 'no load balancer yet'} (${api.address ?? 'no address yet'})\n`,
          );
        }
      } finally {
        await session.close();
      }
    });
}
