import type { ClusterModel, MachineSet } from '../model/index.js';
import { ETCD_CLIENT_PORT } from '../model/index.js';
import { etcdPossibleClientUrls, isEtcdBootstrapMember } from './etcd-bootstrap.js';
import { etcdMemberOf } from './etcd-identity.js';
import { PREBUILT_KUBERNETES_DIR } from './kubernetes-binaries.js';
import type { BootModule, ModuleArtifacts } from './module.js';
import { machinePaths } from './paths.js';

/** The environment file the member's helper scripts read: who the member is and its peers. */
export const ETCD_MEMBER_ENV = '/etc/etcd/member.env';

/**
 * The configuration etcd actually starts with: the rendered one, or the rendered one with the
 * settings of a member joining a cluster that already exists (see `etcd-join.ts`).
 */
export const ETCD_EFFECTIVE_CONFIG = '/run/etcd/etcd.yaml';

/** Where the periodic snapshots go: beside the database, on the member's data disk. */
export const ETCD_SNAPSHOT_DIR = `${machinePaths.etcdData}/snapshots`;

/** `etcdctl` as this member: its own certificate, which is a client certificate as well. */
export const ETCDCTL_MEMBER_SCRIPT = `${machinePaths.hakocBin}/etcdctl-member`;

/**
 * How long a bootstrap member with an empty data dir waits for a healthy peer before it
 * concludes the cluster is brand new and bootstraps it statically. Members of a new cluster
 * boot within about a minute of each other; a late one finds the others healthy and joins them
 * instead. A member outside the bootstrap set never bootstraps: it waits
 * {@link ETCD_JOIN_PATIENCE_SECONDS} longer for a healthy peer, then gives up.
 */
export const ETCD_JOIN_WINDOW_SECONDS = 60;

/** How much longer than the window a member that only joins waits for a healthy peer. */
export const ETCD_JOIN_PATIENCE_SECONDS = 300;

/**
 * How many times a leaving member tries to remove itself, 2 s apart, while another member is
 * still joining or too few of those that stay are healthy (see `etcd-member-leave.ts`).
 */
export const ETCD_LEAVE_ATTEMPTS = 30;

/** The contents of {@link ETCD_MEMBER_ENV}, in the order the file lists them. */
export interface EtcdMemberEnvironment {
  /** The member's name, as in `initial-cluster`. */
  readonly ETCD_NAME: string;
  /** The member's own peer URL. */
  readonly ETCD_PEER_URL: string;
  /** Client URLs of every other member the cluster may have, comma-separated. */
  readonly ETCD_PEER_CLIENT_URLS: string;
  /** `yes` for a member that may bootstrap a new cluster, `no` for one that only joins. */
  readonly ETCD_BOOTSTRAP: 'yes' | 'no';
  /** The member's own client URL on the loopback listener. */
  readonly ETCD_LOCAL_CLIENT_URL: string;
  /** The member's data dir. */
  readonly ETCD_DATA_DIR: string;
  /** The rendered configuration. */
  readonly ETCD_CONFIG: string;
  /** The configuration etcd starts with. */
  readonly ETCD_EFFECTIVE_CONFIG: string;
  /** The member's certificate (server and client usage). */
  readonly ETCD_CERT: string;
  /** The key of {@link EtcdMemberEnvironment.ETCD_CERT}. */
  readonly ETCD_KEY: string;
  /** The etcd CA certificate. */
  readonly ETCD_CA: string;
  /** See {@link ETCD_JOIN_WINDOW_SECONDS}. */
  readonly ETCD_JOIN_WINDOW_SECONDS: string;
  /** See {@link ETCD_JOIN_PATIENCE_SECONDS}. */
  readonly ETCD_JOIN_PATIENCE_SECONDS: string;
  /** See {@link ETCD_LEAVE_ATTEMPTS}. */
  readonly ETCD_LEAVE_ATTEMPTS: string;
  /** Where snapshots go. */
  readonly ETCD_SNAPSHOT_DIR: string;
  /** How many snapshots are kept. */
  readonly ETCD_SNAPSHOT_RETAIN: string;
  /** `etcdctl` on the machine (pre-built image), or empty when it runs from `ETCD_IMAGE`. */
  readonly ETCDCTL: string;
  /** The etcd image whose `etcdctl` runs through containerd, or empty. */
  readonly ETCD_IMAGE: string;
}

/** What {@link ETCD_MEMBER_ENV} says for one member. */
export function etcdMemberEnvironment(
  model: ClusterModel,
  machineSet: MachineSet,
  artifacts: ModuleArtifacts,
): EtcdMemberEnvironment {
  const { machine, endpoint } = etcdMemberOf(model, machineSet);
  const prebuilt = artifacts.binaries.source === 'image';
  return {
    ETCD_NAME: endpoint.name,
    ETCD_PEER_URL: endpoint.peerUrl,
    ETCD_PEER_CLIENT_URLS: etcdPossibleClientUrls(model)
      .filter((url) => url !== endpoint.clientUrl)
      .join(','),
    ETCD_BOOTSTRAP: isEtcdBootstrapMember(machine) ? 'yes' : 'no',
    ETCD_LOCAL_CLIENT_URL: `https://127.0.0.1:${ETCD_CLIENT_PORT}`,
    ETCD_DATA_DIR: machinePaths.etcdData,
    ETCD_CONFIG: machinePaths.etcdConfig,
    ETCD_EFFECTIVE_CONFIG,
    ETCD_CERT: `${machinePaths.etcdPki}/server.crt`,
    ETCD_KEY: `${machinePaths.etcdPki}/server.key`,
    ETCD_CA: `${machinePaths.etcdPki}/ca.crt`,
    ETCD_JOIN_WINDOW_SECONDS: String(ETCD_JOIN_WINDOW_SECONDS),
    ETCD_JOIN_PATIENCE_SECONDS: String(ETCD_JOIN_PATIENCE_SECONDS),
    ETCD_LEAVE_ATTEMPTS: String(ETCD_LEAVE_ATTEMPTS),
    ETCD_SNAPSHOT_DIR,
    ETCD_SNAPSHOT_RETAIN: String(model.etcdSnapshots.retain),
    ETCDCTL: prebuilt ? `${PREBUILT_KUBERNETES_DIR}/bin/etcdctl` : '',
    ETCD_IMAGE: prebuilt ? '' : artifacts.images.etcd,
  };
}

/** {@link ETCD_MEMBER_ENV} as text: `KEY=value` lines, which both systemd and bash read. */
export function etcdMemberEnvFile(environment: EtcdMemberEnvironment): string {
  return `${Object.entries(environment)
    .map(([key, value]) => `${key}=${value}`)
    .join('\n')}\n`;
}

/**
 * `etcdctl-member ENDPOINTS ARGS…`: etcdctl with the member's own certificate, from the
 * pre-built image or from the etcd image through containerd (Flatcar has no etcdctl). The
 * join and snapshot scripts use it, and so can an operator on the machine.
 */
export const ETCDCTL_MEMBER_SCRIPT_TEXT = `#!/bin/bash
# Usage: etcdctl-member ENDPOINTS ETCDCTL-ARGS...
set -euo pipefail
set -a
. "\${ETCD_MEMBER_ENV:-${ETCD_MEMBER_ENV}}"
set +a
endpoints=$1
shift
flags=(--endpoints="$endpoints" --cacert="$ETCD_CA" --cert="$ETCD_CERT" --key="$ETCD_KEY"
  --dial-timeout=3s --command-timeout=10s)
if [[ -n $ETCDCTL ]]; then
  ETCDCTL_API=3 exec "$ETCDCTL" "\${flags[@]}" "$@"
fi
# One container per call, named uniquely; the certificates and data disk at the same paths.
exec /usr/bin/ctr --namespace hakoc run --rm --net-host --env ETCDCTL_API=3 \\
  --mount "type=bind,src=\${ETCD_CA%/*},dst=\${ETCD_CA%/*},options=rbind:ro" \\
  --mount "type=bind,src=$ETCD_DATA_DIR,dst=$ETCD_DATA_DIR,options=rbind:rw" \\
  "$ETCD_IMAGE" "etcdctl-$$-$RANDOM" /usr/local/bin/etcdctl "\${flags[@]}" "$@"
`;

/** The member's environment file and the `etcdctl-member` wrapper. */
export const etcdMemberToolsModule: BootModule = (model, machineSet, artifacts) => ({
  files: [
    {
      path: ETCD_MEMBER_ENV,
      contents: etcdMemberEnvFile(etcdMemberEnvironment(model, machineSet, artifacts)),
      mode: 0o644,
    },
    { path: ETCDCTL_MEMBER_SCRIPT, contents: ETCDCTL_MEMBER_SCRIPT_TEXT, mode: 0o755 },
  ],
});
