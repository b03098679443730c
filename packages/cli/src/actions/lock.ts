import { breakLock, type LockRecord, readLock } from '@hakoc/core';
import { approve } from '../approval.js';
import { openClusterSession } from '../cluster-session.js';
import type { CommandContext } from '../command-context.js';
import type { LockBreakOptions } from '../commands/lock.js';
import { ExitCode } from '../exit-codes.js';

/**
 * What `hakoc lock break SPEC` does: shows who holds the cluster lock, and removes it once
 * approved. A cluster that is not locked is left alone (exit 0).
 */
export async function lockBreakAction(
  ctx: CommandContext,
  specPath: string,
  options: LockBreakOptions,
): Promise<void> {
  const { io, palette } = ctx;
  const session = await openClusterSession(specPath, options, ctx);
  if (session === undefined) return;
  const cluster = session.owner.cluster;
  const report = (broken: LockRecord | undefined) => {
    if (options.json)
      io.stdout(`${JSON.stringify({ cluster, broken: broken ?? null }, null, 2)}\n`);
  };
  try {
    const held = await readLock(session.owner, session.provider);
    if (held === undefined) {
      io.stderr(`${palette.ok('✓')} ${cluster} is not locked: nothing to break.\n`);
      report(undefined);
      return;
    }
    io.stderr(`${cluster} is locked by ${describeLock(held)}.\n`);
    const approved = await approve(ctx, {
      autoApprove: options.autoApprove,
      question: `Break the lock of ${cluster}? Only if ${held.holder} is no longer running.`,
      refused: 'Lock kept.',
      howToApprove: 'Re-run with --auto-approve once you are sure its holder is gone.',
    });
    if (!approved) return;
    // Only the lock that was shown and approved: a run that took the lock since is alive.
    const current = await readLock(session.owner, session.provider);
    if (current === undefined) {
      io.stderr(`${palette.ok('✓')} ${cluster} was unlocked meanwhile: nothing to break.\n`);
      report(undefined);
      return;
    }
    if (current.id !== held.id) {
      io.stderr(
        `${palette.warning('Lock kept.')} Another run took it while you were asked: ${describeLock(current)}.\n`,
      );
      ctx.exitWith(ExitCode.Locked);
      report(undefined);
      return;
    }
    const broken = await breakLock(session.owner, session.provider);
    io.stderr(`${palette.ok('✓')} Broke the lock of ${cluster} (${describeLock(held)}).\n`);
    report(broken);
  } finally {
    await session.close();
  }
}

function describeLock(lock: LockRecord): string {
  const fingerprint =
    lock.fingerprint === undefined ? '' : `, plan ${lock.fingerprint.slice(0, 12)}`;
  return `${lock.holder} (${lock.operation} since ${lock.acquiredAt}${fingerprint})`;
}
