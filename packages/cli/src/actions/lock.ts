import { stripVTControlCharacters as stripStyle } from 'node:util';
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
  const json = options.json === true;
  // With --json, stderr carries JSON lines only: each message is a `cli.lock` event.
  const say = (text: string, lock: LockRecord | undefined) =>
    io.stderr(
      json
        ? `${JSON.stringify({ type: 'cli.lock', cluster, lock: lock ?? null, message: stripStyle(text) })}\n`
        : `${text}\n`,
    );
  const report = (broken: LockRecord | undefined) => {
    if (options.json)
      io.stdout(`${JSON.stringify({ cluster, broken: broken ?? null }, null, 2)}\n`);
  };
  try {
    const held = await readLock(session.owner, session.provider);
    if (held === undefined) {
      say(`${palette.ok('✓')} ${cluster} is not locked: nothing to break.`, undefined);
      report(undefined);
      return;
    }
    say(`${cluster} is locked by ${describeLock(held)}.`, held);
    const approved = await approve(ctx, {
      autoApprove: options.autoApprove,
      question: `Break the lock of ${cluster}? Only if ${held.holder} is no longer running.`,
      refused: 'Lock kept.',
      json: options.json,
      howToApprove: 'Re-run with --auto-approve once you are sure its holder is gone.',
    });
    if (!approved) return;
    // Only the lock that was shown and approved: a run that took the lock since is alive.
    const current = await readLock(session.owner, session.provider);
    if (current === undefined) {
      say(`${palette.ok('✓')} ${cluster} was unlocked meanwhile: nothing to break.`, undefined);
      report(undefined);
      return;
    }
    if (current.id !== held.id) {
      say(
        `${palette.warning('Lock kept.')} Another run took it while you were asked: ${describeLock(current)}.`,
        current,
      );
      ctx.exitWith(ExitCode.Locked);
      report(undefined);
      return;
    }
    const broken = await breakLock(session.owner, session.provider);
    say(`${palette.ok('✓')} Broke the lock of ${cluster} (${describeLock(held)}).`, held);
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
