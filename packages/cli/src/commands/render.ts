import { Command } from '@commander-js/extra-typings';
import type { CommandContext } from '../command-context.js';

/**
 * `hakoc render SPEC --out DIR`: every boot config, `manifest.json` and the certificates, as
 * they would go on the machines. Same spec and key store, same bytes.
 */
export function renderCommand(ctx: CommandContext) {
  return new Command('render')
    .description('write the boot configs, manifest.json and certificates the machines would get')
    .argument('<spec>', 'cluster spec file (YAML or JSON)')
    .requiredOption('--out <dir>', 'folder to write into (created when missing)')
    .option('--pki <dir>', 'key store folder (default: spec.keyStore.dir; created when missing)')
    .addHelpText(
      'after',
      `
Examples:
  $ HAKOC_PASSPHRASE=… hakoc render cluster.yaml --out rendered
  $ hakoc render cluster.yaml --out rendered --pki secrets/pki

Writes DIR/manifest.json, DIR/configs/<name>.ign (and .cloud-config on Vagrant) and DIR/pki/
(certificates only, never a private key); on Vagrant also DIR/vagrant/, the project that
\`vagrant up\` runs (Vagrantfile, machines.json, each machine's user-data). Configs hold keys and tokens: files are 0600.
Without a pre-built image (spec.image.name), the Kubernetes sysext's SHA-256 is pinned from its
release's SHA256SUMS once and kept in pins.json beside the key store; later renders are offline.`,
    )
    .action(async (specPath, options) => {
      const { renderAction } = await import('../actions/render.js');
      await renderAction(ctx, specPath, options);
    });
}

/** The options `hakoc render` parses. */
export type RenderOptions = ReturnType<ReturnType<typeof renderCommand>['opts']>;
