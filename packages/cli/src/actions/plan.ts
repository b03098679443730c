import { resolve } from 'node:path';
import { hasChanges } from '@hakoc/core';
import { openClusterSession } from '../cluster-session.js';
import type { CommandContext } from '../command-context.js';
import { PLAN_HAS_CHANGES, type PlanOptions } from '../commands/plan.js';
import { runWithProgress } from '../engine-run.js';
import { ExitCode } from '../exit-codes.js';
import { formatPlan } from '../format/plan.js';
import { writePlanFile } from '../plan-file.js';

/** What `hakoc plan SPEC` does: reads the cloud, prints (and saves) the plan, changes nothing. */
export async function planAction(
  ctx: CommandContext,
  specPath: string,
  options: PlanOptions,
): Promise<void> {
  const { io, palette } = ctx;
  const session = await openClusterSession(specPath, options, ctx);
  if (session === undefined) return;
  try {
    const planned = await runWithProgress(ctx, options.json === true, (run) => session.plan(run));
    if (planned === undefined) return;
    if (options.out !== undefined) {
      const out = resolve(io.cwd, options.out);
      await writePlanFile(out, resolve(io.cwd, specPath), planned);
      // With --json, stderr carries JSON lines only: the saved file is a `cli.plan-saved` event.
      io.stderr(
        options.json
          ? `${JSON.stringify({ type: 'cli.plan-saved', path: out })}\n`
          : `${palette.dim(`plan saved to ${options.out}`)}\n`,
      );
    }
    if (options.json) io.stdout(`${JSON.stringify(planned, null, 2)}\n`);
    else io.stdout(formatPlan(planned, palette));
    if (options.detailedExitcode && hasChanges(planned)) ctx.exitWith(PLAN_HAS_CHANGES);
    else ctx.exitWith(ExitCode.Ok);
  } finally {
    await session.close();
  }
}
