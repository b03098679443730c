import { toDot, toMermaid } from '@hakoc/core';
import { openClusterSession } from '../cluster-session.js';
import type { CommandContext } from '../command-context.js';
import type { GraphOptions } from '../commands/graph.js';
import { runWithProgress } from '../engine-run.js';

/** What `hakoc graph SPEC` does: plans (changing nothing) and prints the plan's graph. */
export async function graphAction(
  ctx: CommandContext,
  specPath: string,
  options: GraphOptions,
): Promise<void> {
  const session = await openClusterSession(specPath, options, ctx);
  if (session === undefined) return;
  try {
    const planned = await runWithProgress(ctx, false, (run) => session.plan(run));
    if (planned === undefined) return;
    ctx.io.stdout(options.format === 'dot' ? toDot(planned) : toMermaid(planned));
  } finally {
    await session.close();
  }
}
