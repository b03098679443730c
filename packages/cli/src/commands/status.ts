import { Command } from '@commander-js/extra-typings';
import type { CommandContext } from '../command-context.js';

/**
 * `hakoc status SPEC`: what exists of the cluster, against what the spec asks for, and how each
 * role is doing.
 */
export function statusCommand(ctx: CommandContext) {
  return new Command('status')
    .description('show what exists of the cluster, what is missing or extra, and each role')
    .argument('<spec>', 'cluster spec file (YAML or JSON)')
    .option('--json', 'print the status as JSON on stdout')
    .option('--dir <dir>', 'key store folder (default: spec.keyStore.dir)')
    .option('--emulator', 'read an in-process GCE emulator (seeded from the spec)')
    .option('--emulator-state <file>', 'keep the emulator world in this file (implies --emulator)')
    .addHelpText(
      'after',
      `
Examples:
  $ hakoc status cluster.yaml
  $ hakoc status cluster.yaml --emulator-state world.json --json | jq .roles

Lists each resource type's objects as present, missing (the spec wants them, the cloud has
none), extra (ours, no longer wanted) and changed (exists, differs from the spec); then each
role: the etcd members, the control-plane group and its machines, the workers (group size
against the autoscaling bounds, machines), the API load balancer's address (on Vagrant: every
VM and its state); then who holds the cluster lock.
Changes nothing in the cloud. It plans to compare, so the key store and its passphrase are
needed (as for hakoc plan).

Exit status: 0 when every object exists as the spec says and nothing is amiss, 1 otherwise.`,
    )
    .action(async (specPath, options) => {
      const { statusAction } = await import('../actions/status.js');
      await statusAction(ctx, specPath, options);
    });
}

/** The options `hakoc status` parses. */
export type StatusOptions = ReturnType<ReturnType<typeof statusCommand>['opts']>;
