import { resolve } from 'node:path';
import { Command } from '@commander-js/extra-typings';
import { hasChanges } from '@hakoc/core';
import { openClusterSession } from '../cluster-session.js';
import type { CommandContext } from '../command-context.js';
import { runWithProgress } from '../engine-run.js';
import { ExitCode } from '../exit-codes.js';
import { formatPlan } from '../format/plan.js';
import { writePlanFile } from '../plan-file.js';

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
  $ hakoc plan cluster.yaml --detailed-exitcode   # 0 no changes, 2 changes, 1 error`,
    )
    .action(async (specPath, options) => {
      const { io, palette } = ctx;
      const session = await openClusterSession(specPath, options, ctx);
      if (session === undefined) return;
      try {
        const planned = await runWithProgress(ctx, options.json === true, (run) =>
          session.plan(run),
        );
        if (planned === undefined) return;
        if (options.out !== undefined) {
          const out = resolve(io.cwd, options.out);
          await writePlanFile(out, resolve(io.cwd, specPath), planned);
          io.stderr(`${palette.dim(`plan saved to ${options.out}`)}\n`);
        }
        if (options.json) io.stdout(`${JSON.stringify(planned, null, 2)}\n`);
        else io.stdout(formatPlan(planned, palette));
        if (options.detailedExitcode && hasChanges(planned)) ctx.exitWith(PLAN_HAS_CHANGES);
        else ctx.exitWith(ExitCode.Ok);
      } finally {
        await session.close();
      }
    });
}
