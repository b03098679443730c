import { resolve } from 'node:path';
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
import type { RenderOptions } from '../commands/render.js';
import { loadSpecForCommand } from '../load-spec.js';
import { resolvePassphrase } from '../passphrase.js';

/** What `hakoc render SPEC --out DIR` does: every boot config, as the machines would get it. */
export async function renderAction(
  ctx: CommandContext,
  specPath: string,
  options: RenderOptions,
): Promise<void> {
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
    const project = await renderVagrantProject({ model, userData: userDataFromRendered(rendered) });
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
}
