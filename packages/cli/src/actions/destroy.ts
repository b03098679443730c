import { approve, refuseWithoutTerminal } from '../approval.js';
import { openClusterSession } from '../cluster-session.js';
import type { CommandContext } from '../command-context.js';
import type { DestroyOptions } from '../commands/destroy.js';
import { runWithProgress } from '../engine-run.js';
import { formatTable } from '../format/table.js';
import { countByType, LIST_TIMEOUT_MS, listOwned } from '../inventory.js';
import { lockBreakCommandLine, withLockHint } from '../lock-hint.js';
import { writeSessionNote } from '../session-notes.js';

const NO_TERMINAL_HINT = 'Destroying needs --auto-approve when there is no terminal to ask on.';

/**
 * What `hakoc destroy SPEC` does: deletes every object that carries the cluster's ownership
 * labels or marker, once approved. On a terminal it first lists what would go, per type, and
 * asks; without one and without `--auto-approve` it refuses before reading anything.
 */
export async function destroyAction(
  ctx: CommandContext,
  specPath: string,
  options: DestroyOptions,
): Promise<void> {
  const { io } = ctx;
  if (options.autoApprove !== true && io.confirm === undefined) {
    refuseWithoutTerminal(ctx, {
      refused: 'Nothing destroyed.',
      howToApprove: NO_TERMINAL_HINT,
      json: options.json,
    });
    return;
  }
  const session = await openClusterSession(specPath, options, ctx);
  if (session === undefined) return;
  try {
    if (options.autoApprove !== true) {
      const owned = await listOwned(
        session.provider,
        session.owner,
        AbortSignal.timeout(LIST_TIMEOUT_MS),
      );
      const counts = countByType(owned);
      if (owned.length > 0) {
        if (options.json) {
          const objects = Object.fromEntries(counts);
          io.stderr(`${JSON.stringify({ type: 'cli.destroy-preview', objects })}\n`);
        } else {
          io.stderr(
            `Destroying ${session.owner.cluster} on ${session.provider.name} deletes ${owned.length} objects:\n`,
          );
          io.stderr(
            formatTable(
              ['TYPE', 'OBJECTS'],
              [...counts].map(([type, count]) => [type, String(count)]),
            ),
          );
        }
        const approved = await approve(ctx, {
          autoApprove: false,
          question: `Delete all ${owned.length} objects of cluster ${session.owner.cluster}? This cannot be undone.`,
          refused: 'Nothing destroyed.',
          howToApprove: NO_TERMINAL_HINT,
          json: options.json,
        });
        if (!approved) return;
      } else {
        writeSessionNote(
          ctx,
          options.json === true,
          `${session.owner.cluster} owns nothing on ${session.provider.name}.`,
          { type: 'cli.destroy-preview', objects: {} },
        );
      }
    }
    const result = await withLockHint(lockBreakCommandLine(specPath, options), () =>
      runWithProgress(ctx, options.json === true, (run) => session.destroy(run)),
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
}
