import { existsSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { kubeconfigServer, loadOrCreatePki, storeLayout } from '@hakoc/certs';
import { buildClusterModel, HakocError, pkiRequestFor, writeFilesUnder } from '@hakoc/core';
import type { CommandContext } from '../command-context.js';
import { defaultKubeconfigPath, type KubeconfigOptions } from '../commands/kubeconfig.js';
import { loadSpecForCommand } from '../load-spec.js';
import { resolvePassphrase } from '../passphrase.js';

/**
 * What `hakoc kubeconfig SPEC` does: renders the admin kubeconfig from the key store (never
 * from a new one) and writes it 0600 and atomically, or prints it with `--out -`.
 */
export async function kubeconfigAction(
  ctx: CommandContext,
  specPath: string,
  options: KubeconfigOptions,
): Promise<void> {
  const { io, palette } = ctx;
  const spec = await loadSpecForCommand(specPath, ctx);
  if (spec === undefined) return;
  const model = buildClusterModel(spec);
  const keyStore = resolve(io.cwd, options.dir ?? model.keyStore.dir);
  // A kubeconfig signed by a brand-new CA would reach no cluster: never create one here.
  if (!existsSync(join(keyStore, storeLayout.certificate('ca')))) {
    throw new HakocError('HAKOC_KEYSTORE_MISSING', `no key store in ${keyStore}`, {
      hint: `run hakoc apply ${specPath} first (or hakoc certs init ${specPath}), or pass --dir`,
    });
  }
  const passphrase = await resolvePassphrase(model.keyStore.passphrase, io);
  const request = pkiRequestFor(model);
  const { pki, changes } = await loadOrCreatePki(keyStore, request, { passphrase });
  if (changes.length > 0) {
    io.stderr(
      `${palette.warning('!')} key store updated to the spec: ${changes.map((c) => `${c.action} ${c.id}`).join(', ')}\n`,
    );
  }
  const kubeconfig = pki.kubeconfigs.admin;
  if (options.out === '-') {
    io.stdout(kubeconfig.reveal());
    return;
  }
  const target = resolve(io.cwd, options.out ?? defaultKubeconfigPath(model.name));
  await writeFilesUnder(dirname(target), new Map([[basename(target), kubeconfig.reveal()]]));
  io.stdout(`${target}\n`);
  io.stderr(
    `${palette.ok('✓')} admin kubeconfig for ${model.name} (${kubeconfigServer(request, 'admin')}) written to ${target} ${palette.dim('(0600)')}\n`,
  );
}
