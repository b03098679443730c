import { join } from 'node:path';
import { Command } from '@commander-js/extra-typings';
import type { CommandContext } from '../command-context.js';

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
      const { kubeconfigAction } = await import('../actions/kubeconfig.js');
      await kubeconfigAction(ctx, specPath, options);
    });
}

/** The options `hakoc kubeconfig` parses. */
export type KubeconfigOptions = ReturnType<ReturnType<typeof kubeconfigCommand>['opts']>;
