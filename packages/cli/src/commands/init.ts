import { Command, Option } from '@commander-js/extra-typings';
import type { CommandContext } from '../command-context.js';
import { INIT_PROVIDERS } from '../templates/init-providers.js';

/**
 * `hakoc init`: writes a commented spec for GCE or Vagrant, every field explained with its
 * default. It refuses to overwrite a file unless told to, and never writes a spec that would
 * not validate.
 */
export function initCommand(ctx: CommandContext) {
  return new Command('init')
    .description('write a commented cluster spec for GCE or Vagrant to start from')
    .addOption(
      new Option('--provider <provider>', 'where the cluster runs')
        .choices(INIT_PROVIDERS)
        .default('gce' as const),
    )
    .option('--name <name>', 'cluster name (lowercase letters, digits, hyphens)', 'demo')
    .option('--out <file>', 'file to write; - for stdout', 'cluster.yaml')
    .option('--force', 'overwrite the file if it exists')
    .addHelpText(
      'after',
      `
Examples:
  $ hakoc init                                  # GCE, cluster "demo", into cluster.yaml
  $ hakoc init --provider vagrant --name lab --out lab.yaml
  $ hakoc init --out - | less

Every field is written with a comment saying what it is and its default; optional fields and
alternatives are commented out. Replace the example values, then run hakoc validate.`,
    )
    .action(async (options) => {
      const { initAction } = await import('../actions/init.js');
      await initAction(ctx, options);
    });
}

/** The options `hakoc init` parses. */
export type InitOptions = ReturnType<ReturnType<typeof initCommand>['opts']>;
