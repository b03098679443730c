import { Command, InvalidArgumentError, Option } from '@commander-js/extra-typings';
import type { CommandContext } from '../command-context.js';

/** `hakoc etcd snapshot|remove-member`: operations on a cluster's etcd where it is reachable. */
export function etcdCommand(ctx: CommandContext) {
  return new Command('etcd')
    .description('back up etcd, or remove a member, wherever a member is reachable')
    .addCommand(etcdSnapshotCommand(ctx))
    .addCommand(etcdRemoveMemberCommand(ctx))
    .addHelpText(
      'after',
      `
Examples:
  $ hakoc etcd snapshot cluster.yaml --endpoint https://192.168.56.10:2379 --out etcd.db
  $ hakoc etcd remove-member cluster.yaml --endpoint https://192.168.56.10:2379 --name demo-etcd-4

etcd serves clients on 2379 over TLS only; hakoc authenticates with the apiserver-etcd-client
certificate from the key store. On GCE members have internal addresses only: run these from a
machine inside the VPC (a bastion, a VPN). Members take periodic snapshots themselves, kept on
their data disks (spec.etcd.snapshots).`,
    );
}

const dirOption = () => new Option('--dir <dir>', 'key store folder (default: spec.keyStore.dir)');

const endpointOption = () =>
  new Option('--endpoint <url>', "a member's client URL, https://HOST:2379").makeOptionMandatory();

function etcdSnapshotCommand(ctx: CommandContext) {
  return new Command('snapshot')
    .description('save a snapshot of the etcd database to a local file, checksummed')
    .argument('<spec>', 'cluster spec file (YAML or JSON)')
    .addOption(endpointOption())
    .requiredOption('--out <file>', 'file to write (0600); <file>.sha256 is written beside it')
    .addOption(dirOption())
    .option('--timeout <seconds>', 'give up after this many seconds', parseSeconds, 300)
    .option('--json', 'print the result as JSON on stdout')
    .addHelpText(
      'after',
      `
Examples:
  $ HAKOC_PASSPHRASE=… hakoc etcd snapshot cluster.yaml --endpoint https://192.168.56.10:2379 --out etcd.db
  $ sha256sum -c etcd.db.sha256

The file appears only once complete and checked against the SHA-256 etcd sends with it; it
keeps that trailer, so etcdutl (etcdctl on etcd 3.4) snapshot restore checks it again.
Prints the path it wrote to on stdout. docs/operations.md describes the restore.`,
    )
    .action(async (specPath, options) => {
      const { etcdSnapshotAction } = await import('../actions/etcd.js');
      await etcdSnapshotAction(ctx, specPath, options);
    });
}

function etcdRemoveMemberCommand(ctx: CommandContext) {
  return new Command('remove-member')
    .description('remove one member from the etcd cluster through a member that stays')
    .argument('<spec>', 'cluster spec file (YAML or JSON)')
    .addOption(endpointOption())
    .requiredOption('--name <member>', 'the name of the member to remove, e.g. demo-etcd-4')
    .addOption(dirOption())
    .option('--timeout <seconds>', 'give up after this many seconds', parseSeconds, 30)
    .addHelpText(
      'after',
      `
Examples:
  $ hakoc etcd remove-member cluster.yaml --endpoint https://192.168.56.10:2379 --name demo-etcd-4

For a member whose machine is gone for good: scaling etcd down needs none of this, as each
member an apply deletes leaves the cluster by itself first. One member at a time: refused while
another member is joining, and by etcd itself when too few members would be left started for a
quorum. Nothing to do when no member has that name.`,
    )
    .action(async (specPath, options) => {
      const { etcdRemoveMemberAction } = await import('../actions/etcd.js');
      await etcdRemoveMemberAction(ctx, specPath, options);
    });
}

function parseSeconds(value: string): number {
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds <= 0)
    throw new InvalidArgumentError(`not a positive number of seconds: ${value}`);
  return seconds;
}

/** The options `hakoc etcd snapshot` parses. */
export type EtcdSnapshotOptions = ReturnType<ReturnType<typeof etcdSnapshotCommand>['opts']>;
/** The options `hakoc etcd remove-member` parses. */
export type EtcdRemoveMemberOptions = ReturnType<
  ReturnType<typeof etcdRemoveMemberCommand>['opts']
>;
