import { Command } from '@commander-js/extra-typings';
import packageJson from '../package.json' with { type: 'json' };
import type { CommandContext } from './command-context.js';
import { applyCommand } from './commands/apply.js';
import { certsCommand } from './commands/certs.js';
import { destroyCommand } from './commands/destroy.js';
import { etcdCommand } from './commands/etcd.js';
import { graphCommand } from './commands/graph.js';
import { initCommand } from './commands/init.js';
import { kubeconfigCommand } from './commands/kubeconfig.js';
import { lockCommand } from './commands/lock.js';
import { planCommand } from './commands/plan.js';
import { renderCommand } from './commands/render.js';
import { statusCommand } from './commands/status.js';
import { validateCommand } from './commands/validate.js';

/**
 * The `hakoc` command tree. Commands are added here, one file each under `commands/`. A command
 * file holds only what `--help` shows; its action imports the implementation (`actions/`) when
 * it runs, so `hakoc --help` loads neither the engine nor a cloud client.
 */
export function createProgram(ctx: CommandContext) {
  return new Command('hakoc')
    .description(
      'Highly available Kubernetes on Container Linux, on Google Compute Engine or Vagrant, from one spec.',
    )
    .version(packageJson.version, '-v, --version')
    .showHelpAfterError('(run with --help for usage)')
    .addCommand(initCommand(ctx))
    .addCommand(validateCommand(ctx))
    .addCommand(renderCommand(ctx))
    .addCommand(planCommand(ctx))
    .addCommand(graphCommand(ctx))
    .addCommand(applyCommand(ctx))
    .addCommand(statusCommand(ctx))
    .addCommand(destroyCommand(ctx))
    .addCommand(lockCommand(ctx))
    .addCommand(certsCommand(ctx))
    .addCommand(kubeconfigCommand(ctx))
    .addCommand(etcdCommand(ctx))
    .addHelpText(
      'after',
      `
Examples:
  $ hakoc init --provider gce --name demo --out cluster.yaml
  $ hakoc validate cluster.yaml
  $ hakoc plan cluster.yaml --emulator          # try it without a GCP account
  $ hakoc apply cluster.yaml
  $ hakoc status cluster.yaml

Exit status: 0 ok, 1 failed, 2 wrong command line, 3 internal error, 4 not approved,
5 cluster locked, 130 interrupted (the @hakoc/cli README explains each).`,
    );
}
