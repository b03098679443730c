import { Command } from '@commander-js/extra-typings';
import packageJson from '../package.json' with { type: 'json' };
import type { CommandContext } from './command-context.js';
import { applyCommand } from './commands/apply.js';
import { certsCommand } from './commands/certs.js';
import { destroyCommand } from './commands/destroy.js';
import { initCommand } from './commands/init.js';
import { kubeconfigCommand } from './commands/kubeconfig.js';
import { planCommand } from './commands/plan.js';
import { renderCommand } from './commands/render.js';
import { validateCommand } from './commands/validate.js';

/** The `hakoc` command tree. Commands are added here, one file each under `commands/`. */
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
    .addCommand(applyCommand(ctx))
    .addCommand(destroyCommand(ctx))
    .addCommand(certsCommand(ctx))
    .addCommand(kubeconfigCommand(ctx));
}
