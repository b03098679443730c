import { resolve } from 'node:path';
import {
  checkExpiry,
  type KeyStoreResult,
  loadOrCreatePki,
  readCaRotation,
  renewLeaves,
} from '@hakoc/certs';
import { buildClusterModel, type ClusterModel, pkiRequestFor } from '@hakoc/core';
import type { CommandContext } from '../command-context.js';
import {
  type CertsCheckOptions,
  type CertsInitOptions,
  type CertsRenewOptions,
  EXPIRY_WARNING_DAYS,
} from '../commands/certs.js';
import { ExitCode } from '../exit-codes.js';
import { formatTable } from '../format/table.js';
import { loadSpecForCommand } from '../load-spec.js';
import { resolvePassphrase } from '../passphrase.js';
import { writeSessionNote } from '../session-notes.js';
import { describeCaRotation } from './certs-rotate-ca.js';

/** What `hakoc certs init SPEC` does: creates the key store, or issues only what changed. */
export async function certsInitAction(
  ctx: CommandContext,
  specPath: string,
  options: CertsInitOptions,
): Promise<void> {
  const loaded = await loadModel(specPath, ctx);
  if (!loaded) return;
  const dir = resolve(ctx.io.cwd, options.dir ?? loaded.keyStore.dir);
  const passphrase = await resolvePassphrase(loaded.keyStore.passphrase, ctx.io);
  const result = await loadOrCreatePki(dir, pkiRequestFor(loaded), { passphrase });
  reportChanges(ctx, dir, result, Boolean(options.json));
}

/** What `hakoc certs renew SPEC` does: re-issues leaves with their keys, CAs kept. */
export async function certsRenewAction(
  ctx: CommandContext,
  specPath: string,
  options: CertsRenewOptions,
): Promise<void> {
  const loaded = await loadModel(specPath, ctx);
  if (!loaded) return;
  const dir = resolve(ctx.io.cwd, options.dir ?? loaded.keyStore.dir);
  const passphrase = await resolvePassphrase(loaded.keyStore.passphrase, ctx.io);
  const result = await renewLeaves(dir, pkiRequestFor(loaded), {
    passphrase,
    ...(options.within === undefined ? {} : { withinDays: options.within }),
  });
  reportChanges(ctx, dir, result, Boolean(options.json));
}

/** What `hakoc certs check --dir DIR` does: every certificate and its expiry. */
export async function certsCheckAction(
  ctx: CommandContext,
  options: CertsCheckOptions,
): Promise<void> {
  const dir = resolve(ctx.io.cwd, options.dir);
  const rows = await checkExpiry(dir);
  const rotation = await readCaRotation(dir);
  const soon = rows.filter((row) => row.daysLeft < EXPIRY_WARNING_DAYS);
  if (soon.length > 0) ctx.exitWith(ExitCode.Failure);
  if (rotation !== undefined) {
    const text = describeCaRotation(rotation);
    if (options.json) {
      writeSessionNote(ctx, true, text, { type: 'cli.ca-rotation', message: text, ...rotation });
    } else ctx.io.stderr(`${ctx.palette.warning('!')} ${text}\n`);
  }
  if (options.json) {
    ctx.io.stdout(`${JSON.stringify(rows, null, 2)}\n`);
    return;
  }
  ctx.io.stdout(
    formatTable(
      ['CERTIFICATE', 'SUBJECT', 'EXPIRES', 'DAYS LEFT'],
      rows.map((row) => [
        row.path,
        row.subject,
        row.notAfter.toISOString().slice(0, 10),
        String(row.daysLeft),
      ]),
    ),
  );
  const summary = `${rows.length} certificates, ${soon.length} expiring within ${EXPIRY_WARNING_DAYS} days`;
  ctx.io.stderr(`${soon.length > 0 ? ctx.palette.error('✗') : ctx.palette.ok('✓')} ${summary}\n`);
}

async function loadModel(specPath: string, ctx: CommandContext): Promise<ClusterModel | undefined> {
  const spec = await loadSpecForCommand(specPath, ctx);
  return spec && buildClusterModel(spec);
}

function reportChanges(ctx: CommandContext, dir: string, result: KeyStoreResult, json: boolean) {
  if (json) {
    ctx.io.stdout(
      `${JSON.stringify({ dir, changes: result.changes, stale: result.stale }, null, 2)}\n`,
    );
    return;
  }
  for (const change of result.changes) {
    ctx.io.stderr(`  ${change.action.padEnd(9)} ${change.id}  ${ctx.palette.dim(change.reason)}\n`);
  }
  for (const folder of result.stale) {
    ctx.io.stderr(
      `  ${ctx.palette.warning('stale')}     ${folder}  (no longer in the spec; left in place)\n`,
    );
  }
  const what =
    result.changes.length === 0 ? 'nothing to change' : `${result.changes.length} changes`;
  ctx.io.stderr(`${ctx.palette.ok('✓')} key store ${dir}: ${what}\n`);
}
