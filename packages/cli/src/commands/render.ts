import { resolve } from 'node:path';
import { Command } from '@commander-js/extra-typings';
import { loadOrCreatePki } from '@hakoc/certs';
import {
  buildClusterModel,
  loadOrResolvePins,
  pinsFileFor,
  pkiRequestFor,
  renderCluster,
  writeFilesUnder,
  writeRenderedCluster,
} from '@hakoc/core';
import { renderVagrantProject, userDataFromRendered } from '@hakoc/provider-vagrant';
import type { CommandContext } from '../command-context.js';
import { loadSpecForCommand } from '../load-spec.js';
import { resolvePassphrase } from '../passphrase.js';

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
      const { io, palette } = ctx;
      const spec = await loadSpecForCommand(specPath, ctx);
      if (spec === undefined) return;
      const model = buildClusterModel(spec);
      const keyStore = resolve(io.cwd, options.pki ?? model.keyStore.dir);
      const passphrase = await resolvePassphrase(model.keyStore.passphrase, io);
      const { pki } = await loadOrCreatePki(keyStore, pkiRequestFor(model), { passphrase });
      const pins = await loadOrResolvePins({ file: pinsFileFor(keyStore), model });
      const rendered = renderCluster(model, pki, { pins });
      const out = resolve(io.cwd, options.out);
      await writeRenderedCluster(out, rendered);
      if (model.provider.name === 'vagrant') {
        // The project `hakoc apply` would bring up: Vagrantfile, machines.json, user-data.
        const project = await renderVagrantProject({
          model,
          userData: userDataFromRendered(rendered),
        });
        await writeFilesUnder(resolve(out, 'vagrant'), project);
        io.stderr(
          `  ${'vagrant'.padEnd(13)} vagrant/Vagrantfile${palette.dim(` (${project.size} files)`)}\n`,
        );
      }
      for (const config of rendered.manifest.configs) {
        const machines = config.machines ? palette.dim(` (${config.machines.join(', ')})`) : '';
        io.stderr(`  ${config.role.padEnd(13)} ${config.ignition}${machines}\n`);
      }
      io.stderr(
        `${palette.ok('✓')} rendered ${rendered.manifest.configs.length} configs of ${model.name} into ${out}\n`,
      );
    });
}
