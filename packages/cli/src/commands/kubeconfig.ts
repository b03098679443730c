import { existsSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { Command } from '@commander-js/extra-typings';
import { kubeconfigServer, loadOrCreatePki, storeLayout } from '@hakoc/certs';
import { buildClusterModel, HakocError, pkiRequestFor, writeFilesUnder } from '@hakoc/core';
import type { CommandContext } from '../command-context.js';
import { loadSpecForCommand } from '../load-spec.js';
import { resolvePassphrase } from '../passphrase.js';

/** Where `hakoc kubeconfig` writes when not told: beside the default key store. */
export function defaultKubeconfigPath(clusterName: string): string {
  return join('.hakoc', clusterName, 'kubeconfig');
}

/**
 * `hakoc kubeconfig SPEC`: the cluster-admin kubeconfig, rendered from the key store. It holds
 * a private key, so it is written 0600 and atomically (a reader never sees half of it), and
 * printed only when asked for with `--out -`.
 */
export function kubeconfigCommand(ctx: CommandContext) {
  return new Command('kubeconfig')
    .description('write the admin kubeconfig of a cluster, from its key store')
    .argument('<spec>', 'cluster spec file (YAML or JSON)')
    .option(
      '--out <file>',
      'file to write (0600); - for stdout (default: .hakoc/<name>/kubeconfig)',
    )
    .option('--dir <dir>', 'key store folder (default: spec.keyStore.dir)')
    .addHelpText(
      'after',
      `
Examples:
  $ HAKOC_PASSPHRASE=… hakoc kubeconfig cluster.yaml
  $ export KUBECONFIG=$(hakoc kubeconfig cluster.yaml) && kubectl get nodes
  $ hakoc kubeconfig cluster.yaml --out - | kubectl --kubeconfig /dev/stdin get nodes

Prints the path it wrote to on stdout. The user is "admin" in group kubeadm:cluster-admins,
bound to cluster-admin; its certificate lasts spec.pki.leafValidityDays (hakoc certs renew).`,
    )
    .action(async (specPath, options) => {
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
    });
}
