import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { HakocError } from '@hakoc/certs';
import type { ClusterModel } from '../model/index.js';
import { machinePaths } from '../modules/paths.js';

const run = promisify(execFile);

/** What one member is restored as: the identity it had in the static bootstrap. */
export interface EtcdRestoreMember {
  /** The member's name. */
  readonly name: string;
  /** Its peer URL, which `initial-cluster` names it by. */
  readonly peerUrl: string;
  /** Every member of the restored cluster, `name=peerUrl,…`. */
  readonly initialCluster: string;
  /** The cluster token the member IDs are derived from. */
  readonly initialClusterToken: string;
}

/**
 * The members a snapshot is restored into: every member of the model with the static
 * bootstrap settings, so each restored data dir holds the same new cluster (etcd derives the
 * cluster and member IDs from these, so all members must be restored with the same values).
 */
export function etcdRestoreMembers(model: ClusterModel): EtcdRestoreMember[] {
  const { members, initialCluster, initialClusterToken } = model.endpoints.etcd;
  return members.map((member) => ({
    name: member.name,
    peerUrl: member.peerUrl,
    initialCluster,
    initialClusterToken,
  }));
}

/**
 * The restore command's arguments for one member, after the tool's name: `etcdutl` (etcd 3.5
 * and later) and `etcdctl` (3.4, with `ETCDCTL_API=3`) take the same ones.
 */
export function etcdRestoreArguments(
  snapshot: string,
  member: EtcdRestoreMember,
  dataDir: string,
): string[] {
  return [
    'snapshot',
    'restore',
    snapshot,
    `--name=${member.name}`,
    `--initial-cluster=${member.initialCluster}`,
    `--initial-cluster-token=${member.initialClusterToken}`,
    `--initial-advertise-peer-urls=${member.peerUrl}`,
    `--data-dir=${dataDir}`,
  ];
}

/** Options of {@link restoreEtcdMember}. */
export interface RestoreEtcdMemberOptions {
  /** The snapshot file, as {@link saveEtcdSnapshot} or the snapshot timer wrote it. */
  readonly snapshot: string;
  /** The member to restore, from {@link etcdRestoreMembers}. */
  readonly member: EtcdRestoreMember;
  /**
   * The member's data dir; it must hold no `member/` directory (move the old one away first).
   * @default "/var/lib/etcd"
   */
  readonly dataDir?: string;
  /**
   * The restore tool: `etcdutl` for etcd 3.5 and later, `etcdctl` for 3.4.
   * @default "etcdutl"
   */
  readonly tool?: string;
  /**
   * Longest the restore may take, in milliseconds.
   * @default 300000
   */
  readonly timeoutMs?: number;
}

/**
 * Restores one member's data dir from a snapshot (the tool checks the snapshot's SHA-256
 * trailer). The tool writes into a fresh directory beside the data dir's contents and only its
 * `member/` directory is moved in, so other files there (the periodic snapshots) stay.
 *
 * @throws HakocError `HAKOC_ETCD_DATA_PRESENT` when the data dir still holds a member,
 * `HAKOC_ETCD_RESTORE` when the tool fails
 */
export async function restoreEtcdMember(options: RestoreEtcdMemberOptions): Promise<void> {
  const dataDir = options.dataDir ?? machinePaths.etcdData;
  const tool = options.tool ?? 'etcdutl';
  if (existsSync(join(dataDir, 'member'))) {
    throw new HakocError(
      'HAKOC_ETCD_DATA_PRESENT',
      `${dataDir} still holds the data of a member: a restore never overwrites it`,
      { hint: `stop etcd and move ${join(dataDir, 'member')} away first` },
    );
  }
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const scratch = join(dataDir, `.restore-${randomBytes(6).toString('hex')}`);
  try {
    await run(tool, etcdRestoreArguments(options.snapshot, options.member, scratch), {
      env: { ...process.env, ETCDCTL_API: '3' },
      timeout: options.timeoutMs ?? 300_000,
    }).catch((cause: Error & { stderr?: string }) => {
      throw new HakocError(
        'HAKOC_ETCD_RESTORE',
        `${tool} snapshot restore of ${options.member.name} failed: ${(cause.stderr ?? cause.message).trim().split('\n').pop()}`,
        { cause },
      );
    });
    await rename(join(scratch, 'member'), join(dataDir, 'member'));
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
