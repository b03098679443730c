import { resolve } from 'node:path';
import { Command, InvalidArgumentError, Option } from '@commander-js/extra-typings';
import { checkExpiry, type KeyStoreResult, loadOrCreatePki, renewLeaves } from '@hakoc/certs';
import { buildClusterModel, type ClusterModel, pkiRequestFor } from '@hakoc/core';
import type { CommandContext } from '../command-context.js';
import { ExitCode } from '../exit-codes.js';
import { formatTable } from '../format/table.js';
import { loadSpecForCommand } from '../load-spec.js';
import { resolvePassphrase } from '../passphrase.js';

/** Certificates expiring sooner than this make `hakoc certs check` fail. */
export const EXPIRY_WARNING_DAYS = 30;

/** `hakoc certs init|check|renew`: the cluster's key store. */
export function certsCommand(ctx: CommandContext) {
  return new Command('certs')
    .description('create, inspect and renew the cluster PKI in its encrypted key store')
    .addCommand(initCommand(ctx))
    .addCommand(checkCommand(ctx))
    .addCommand(renewCommand(ctx));
}

const dirOption = () => new Option('--dir <dir>', 'key store folder (default: spec.keyStore.dir)');

function initCommand(ctx: CommandContext) {
  return new Command('init')
    .description('create the key store for a spec, or load it and issue only what changed')
    .argument('<spec>', 'cluster spec file')
    .addOption(dirOption())
    .option('--json', 'print what changed as JSON on stdout')
    .addHelpText(
      'after',
      `
Examples:
  $ HAKOC_PASSPHRASE=… hakoc certs init cluster.yaml
  $ hakoc certs init cluster.yaml --dir secrets/pki --json

The passphrase comes from spec.keyStore.passphrase (default: the HAKOC_PASSPHRASE variable).
Private keys are stored encrypted (PKCS#8, AES-256), folder 0700, files 0600.`,
    )
    .action(async (specPath, options) => {
      const loaded = await loadModel(specPath, ctx);
      if (!loaded) return;
      const dir = resolve(ctx.io.cwd, options.dir ?? loaded.keyStore.dir);
      const passphrase = await resolvePassphrase(loaded.keyStore.passphrase, ctx.io);
      const result = await loadOrCreatePki(dir, pkiRequestFor(loaded), { passphrase });
      reportChanges(ctx, dir, result, Boolean(options.json));
    });
}

function renewCommand(ctx: CommandContext) {
  return new Command('renew')
    .description('re-issue leaf certificates with their existing keys (CAs are kept)')
    .argument('<spec>', 'cluster spec file')
    .addOption(dirOption())
    .option('--within <days>', 'renew only what expires within this many days', parseDays)
    .option('--json', 'print what changed as JSON on stdout')
    .addHelpText(
      'after',
      `
Examples:
  $ hakoc certs renew cluster.yaml --within 30
  $ hakoc certs renew cluster.yaml            # every leaf`,
    )
    .action(async (specPath, options) => {
      const loaded = await loadModel(specPath, ctx);
      if (!loaded) return;
      const dir = resolve(ctx.io.cwd, options.dir ?? loaded.keyStore.dir);
      const passphrase = await resolvePassphrase(loaded.keyStore.passphrase, ctx.io);
      const result = await renewLeaves(dir, pkiRequestFor(loaded), {
        passphrase,
        ...(options.within === undefined ? {} : { withinDays: options.within }),
      });
      reportChanges(ctx, dir, result, Boolean(options.json));
    });
}

function checkCommand(ctx: CommandContext) {
  return new Command('check')
    .description(
      `list every certificate and when it expires; fail within ${EXPIRY_WARNING_DAYS} days`,
    )
    .requiredOption('--dir <dir>', 'key store folder')
    .option('--json', 'print the report as JSON on stdout')
    .addHelpText(
      'after',
      `
Examples:
  $ hakoc certs check --dir .hakoc/demo/pki
  $ hakoc certs check --dir .hakoc/demo/pki --json | jq '.[] | select(.daysLeft < 60)'

Exit status: 1 when any certificate expires within ${EXPIRY_WARNING_DAYS} days. No passphrase needed.`,
    )
    .action(async (options) => {
      const rows = await checkExpiry(resolve(ctx.io.cwd, options.dir));
      const soon = rows.filter((row) => row.daysLeft < EXPIRY_WARNING_DAYS);
      if (soon.length > 0) ctx.exitWith(ExitCode.Failure);
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
      ctx.io.stderr(
        `${soon.length > 0 ? ctx.palette.error('✗') : ctx.palette.ok('✓')} ${summary}\n`,
      );
    });
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

function parseDays(value: string): number {
  const days = Number(value);
  if (!Number.isInteger(days) || days < 0)
    throw new InvalidArgumentError(`not a whole number of days: ${value}`);
  return days;
}
