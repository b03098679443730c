import { resolve } from 'node:path';
import { apply, hasChanges } from '@hakoc/core';
import { approve } from '../approval.js';
import { apiEndpointOf } from '../cluster-outputs.js';
import { openClusterSession } from '../cluster-session.js';
import type { CommandContext } from '../command-context.js';
import type { ApplyOptions } from '../commands/apply.js';
import { runWithProgress } from '../engine-run.js';
import { formatPlan } from '../format/plan.js';
import { lockBreakCommandLine, withLockHint } from '../lock-hint.js';
import { readPlanFile } from '../plan-file.js';

/**
 * What `hakoc apply SPEC|plan.json` does. A spec is planned, the plan shown, and applied once
 * approved (`--auto-approve`, or yes at the prompt); a saved plan is its own approval and is
 * applied only if it still holds. The approved plan is exactly what runs: if the cloud changed
 * while the prompt waited, the engine refuses it as stale.
 */
export async function applyAction(
  ctx: CommandContext,
  target: string,
  options: ApplyOptions,
): Promise<void> {
  const { io, palette } = ctx;
  const json = options.json === true;
  const saved = await readPlanFile(resolve(io.cwd, target));
  const specPath = saved?.specPath ?? target;
  const session = await openClusterSession(specPath, options, ctx);
  if (session === undefined) return;
  try {
    const planned = await runWithProgress(ctx, json, (run) =>
      saved === undefined ? session.plan(run) : session.loadPlan(saved.plan, run),
    );
    if (planned === undefined) return;
    // The plan's progress has finished: nothing live is in the way of the plan or the prompt.
    if (!json) io.stderr(formatPlan(planned, palette));
    if (saved === undefined && hasChanges(planned)) {
      const { changes } = planned.summary;
      const approved = await approve(ctx, {
        autoApprove: options.autoApprove,
        question: `Apply ${changes === 1 ? 'this change' : `these ${changes} changes`} to cluster ${planned.cluster}?`,
        refused: 'Nothing applied.',
        json,
        howToApprove:
          'Re-run with --auto-approve, or save the plan with `hakoc plan --out` and apply that.',
      });
      if (!approved) return;
    }
    const result = await withLockHint(lockBreakCommandLine(specPath, options), () =>
      runWithProgress(ctx, json, (run) => apply(planned, run)),
    );
    if (result === undefined) return;
    // The progress summary already counted the steps; stdout keeps only the result.
    if (json) {
      io.stdout(
        `${JSON.stringify({ totals: result.totals, finished: result.finished, outputs: result.outputs }, null, 2)}\n`,
      );
    } else if (result.outputs !== undefined) {
      const api = apiEndpointOf(result.outputs);
      io.stdout(`API: ${api.url ?? 'no load balancer yet'} (${api.address ?? 'no address yet'})\n`);
    }
  } finally {
    await session.close();
  }
}
