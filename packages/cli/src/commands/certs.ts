import { Command, InvalidArgumentError, Option } from '@commander-js/extra-typings';
import type { CommandContext } from '../command-context.js';

/** Certificates expiring sooner than this make `hakoc certs check` fail. */
export const EXPIRY_WARNING_DAYS = 30;

/** `hakoc certs init|check|renew`: the cluster's key store. */
export function certsCommand(ctx: CommandContext) {
  return new Command('certs')
    .description('create, inspect and renew the cluster PKI in its encrypted key store')
    .addCommand(certsInitCommand(ctx))
    .addCommand(certsCheckCommand(ctx))
    .addCommand(certsRenewCommand(ctx))
    .addHelpText(
      'after',
      `
Examples:
  $ HAKOC_PASSPHRASE=… hakoc certs init cluster.yaml
  $ hakoc certs check --dir .hakoc/demo/pki
  $ hakoc certs renew cluster.yaml --within 30`,
    );
}

const dirOption = () => new Option('--dir <dir>', 'key store folder (default: spec.keyStore.dir)');

function certsInitCommand(ctx: CommandContext) {
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
      const { certsInitAction } = await import('../actions/certs.js');
      await certsInitAction(ctx, specPath, options);
    });
}

function certsRenewCommand(ctx: CommandContext) {
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
      const { certsRenewAction } = await import('../actions/certs.js');
      await certsRenewAction(ctx, specPath, options);
    });
}

function certsCheckCommand(ctx: CommandContext) {
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
      const { certsCheckAction } = await import('../actions/certs.js');
      await certsCheckAction(ctx, options);
    });
}

function parseDays(value: string): number {
  const days = Number(value);
  if (!Number.isInteger(days) || days < 0)
    throw new InvalidArgumentError(`not a whole number of days: ${value}`);
  return days;
}

/** The options `hakoc certs init` parses. */
export type CertsInitOptions = ReturnType<ReturnType<typeof certsInitCommand>['opts']>;
/** The options `hakoc certs renew` parses. */
export type CertsRenewOptions = ReturnType<ReturnType<typeof certsRenewCommand>['opts']>;
/** The options `hakoc certs check` parses. */
export type CertsCheckOptions = ReturnType<ReturnType<typeof certsCheckCommand>['opts']>;
