import { Command } from '@commander-js/extra-typings';
import type { CommandContext } from '../command-context.js';

/** `hakoc lock break SPEC`: the cluster lock that stops two applies at once. */
export function lockCommand(ctx: CommandContext) {
  return new Command('lock')
    .description('break a stale cluster lock (the lock that stops two applies at once)')
    .addCommand(lockBreakCommand(ctx))
    .addHelpText(
      'after',
      `
Examples:
  $ hakoc lock break cluster.yaml
  $ hakoc lock break cluster.yaml --emulator-state world.json --auto-approve`,
    );
}

function lockBreakCommand(ctx: CommandContext) {
  return new Command('break')
    .description('remove a stale cluster lock left by an apply or destroy that died')
    .argument('<spec>', 'cluster spec file (YAML or JSON)')
    .option('--auto-approve', 'break the lock without asking first')
    .option('--json', 'print the lock that was broken (or null) as JSON on stdout')
    .option('--emulator', 'use an in-process GCE emulator (seeded from the spec)')
    .option('--emulator-state <file>', 'keep the emulator world in this file (implies --emulator)')
    .addHelpText(
      'after',
      `
Examples:
  $ hakoc lock break cluster.yaml
  $ hakoc lock break cluster.yaml --auto-approve --json

An apply or destroy holds the lock while it runs and releases it when it ends, even when it
fails. Only a process that was killed leaves one behind; the next apply is then refused with
exit status 5 and names the holder. Break the lock only when that process is really gone: two
applies at once can leave the cluster half changed. Shows who holds it and asks first, unless
--auto-approve; without a terminal to ask on and without --auto-approve, it refuses (exit 4).`,
    )
    .action(async (specPath, options) => {
      const { lockBreakAction } = await import('../actions/lock.js');
      await lockBreakAction(ctx, specPath, options);
    });
}

/** The options `hakoc lock break` parses. */
export type LockBreakOptions = ReturnType<ReturnType<typeof lockBreakCommand>['opts']>;
