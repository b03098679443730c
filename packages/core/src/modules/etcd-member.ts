import { stringify } from 'yaml';
import type { ClusterModel, MachineSet } from '../model/index.js';
import { ETCD_CLIENT_PORT, ETCD_PEER_PORT } from '../model/index.js';
import { etcdBootstrapCluster } from './etcd-bootstrap.js';
import { etcdMemberOf } from './etcd-identity.js';
import { ETCD_JOIN_UNIT } from './etcd-join.js';
import { ETCD_EFFECTIVE_CONFIG } from './etcd-member-tools.js';
import { ETCD_HEALTH_PORT } from './health.js';
import { PREBUILT_KUBERNETES_DIR } from './kubernetes-binaries.js';
import type { BootModule, ModuleArtifacts } from './module.js';
import { machinePaths } from './paths.js';
import { TMPFILES_UNIT, tmpfilesFile } from './tmpfiles.js';

/** The unit running the etcd member. */
export const ETCD_UNIT = 'etcd-member.service';

/** The subset of etcd's `--config-file` YAML that hakoc writes (etcd ≥ 3.4 key names). */
export interface EtcdConfigFile {
  readonly name: string;
  readonly 'data-dir': string;
  readonly 'listen-peer-urls': string;
  readonly 'listen-client-urls': string;
  readonly 'listen-metrics-urls': string;
  readonly 'advertise-client-urls': string;
  readonly 'initial-advertise-peer-urls': string;
  readonly 'initial-cluster': string;
  readonly 'initial-cluster-token': string;
  readonly 'initial-cluster-state': 'new' | 'existing';
  readonly 'strict-reconfig-check': boolean;
  readonly 'enable-grpc-gateway': boolean;
  readonly 'client-transport-security': EtcdTransportSecurity;
  readonly 'peer-transport-security': EtcdTransportSecurity;
}

/** TLS settings of one etcd listener. */
export interface EtcdTransportSecurity {
  readonly 'cert-file': string;
  readonly 'key-file': string;
  readonly 'trusted-ca-file': string;
  readonly 'client-cert-auth': true;
}

/**
 * The member's etcd configuration. Bootstrap is static (`initial-cluster` from the model and a
 * per-cluster token; no discovery service). Peers and clients both need TLS with client
 * certificates from the etcd CA. A member whose data dir already exists ignores the initial-*
 * settings, so the same file restarts a re-created member that kept its disk. A member joining
 * a cluster that already exists starts from a copy with `initial-cluster-state: existing` and
 * the current member list (see `etcd-join.ts`).
 */
export function etcdConfig(model: ClusterModel, machineSet: MachineSet): EtcdConfigFile {
  const { machine, endpoint } = etcdMemberOf(model, machineSet);
  // Vagrant knows each member's address; on GCE the internal IP is the instance's, so the
  // member listens on all addresses and advertises its DNS name (firewall rules limit who
  // reaches 2379/2380 to etcd and control-plane machines).
  const listenHost = machine.ip ?? '0.0.0.0';
  const tls = (name: 'server' | 'peer'): EtcdTransportSecurity => ({
    'cert-file': `${machinePaths.etcdPki}/${name}.crt`,
    'key-file': `${machinePaths.etcdPki}/${name}.key`,
    'trusted-ca-file': `${machinePaths.etcdPki}/ca.crt`,
    'client-cert-auth': true,
  });
  return {
    name: machine.name,
    'data-dir': machinePaths.etcdData,
    'listen-peer-urls': `https://${listenHost}:${ETCD_PEER_PORT}`,
    // Local clients (etcdctl on the machine) use 127.0.0.1, which the member certificate names.
    'listen-client-urls':
      listenHost === '0.0.0.0'
        ? `https://0.0.0.0:${ETCD_CLIENT_PORT}`
        : `https://${listenHost}:${ETCD_CLIENT_PORT},https://127.0.0.1:${ETCD_CLIENT_PORT}`,
    'listen-metrics-urls': `http://${listenHost}:${ETCD_HEALTH_PORT}`,
    'advertise-client-urls': endpoint.clientUrl,
    'initial-advertise-peer-urls': endpoint.peerUrl,
    // The bootstrap members only, so that a changed member count leaves this file as it is.
    'initial-cluster': etcdBootstrapCluster(model),
    'initial-cluster-token': model.endpoints.etcd.initialClusterToken,
    'initial-cluster-state': 'new',
    'strict-reconfig-check': true,
    // The JSON gateway hakoc's library calls (snapshots, member removal) use. etcd 3.4 leaves it
    // off when started from a config file that does not say so; later versions default to on.
    'enable-grpc-gateway': true,
    'client-transport-security': tls('server'),
    'peer-transport-security': tls('peer'),
  };
}

/**
 * How the member runs. A pre-built image carries etcd in /opt/kubernetes/bin. Otherwise it
 * runs from the etcd image through the containerd every Flatcar machine ships (`ctr`), with
 * the host network and the config and data directories bind-mounted, so the same config file
 * works in both.
 */
function execLines(artifacts: ModuleArtifacts): string[] {
  const config = `--config-file=${ETCD_EFFECTIVE_CONFIG}`;
  if (artifacts.binaries.source === 'image') {
    return [`ExecStart=${PREBUILT_KUBERNETES_DIR}/bin/etcd ${config}`];
  }
  const image = artifacts.images.etcd;
  const effectiveDir = ETCD_EFFECTIVE_CONFIG.slice(0, ETCD_EFFECTIVE_CONFIG.lastIndexOf('/'));
  const ctr = '/usr/bin/ctr --namespace hakoc';
  const mount = (dir: string, access: 'ro' | 'rw') =>
    `--mount type=bind,src=${dir},dst=${dir},options=rbind:${access}`;
  return [
    `ExecStartPre=${ctr} image pull ${image}`,
    // A container left by a crash would block the name; removing a missing one is fine.
    `ExecStartPre=-${ctr} container delete etcd-member`,
    `ExecStart=${ctr} run --rm --net-host ${mount('/etc/etcd', 'ro')} ${mount(effectiveDir, 'ro')} ${mount(machinePaths.etcdData, 'rw')} ${image} etcd-member /usr/local/bin/etcd ${config}`,
    `ExecStopPost=-${ctr} task kill --signal SIGKILL etcd-member`,
  ];
}

/**
 * An etcd v3 member with TLS for peers and clients, configured by its YAML config file as the
 * join unit it requires left it (restart, join or bootstrap).
 */
export const etcdMemberModule: BootModule = (model, machineSet, artifacts) => {
  const containerised = artifacts.binaries.source !== 'image';
  return {
    files: [
      {
        path: machinePaths.etcdConfig,
        contents: stringify(etcdConfig(model, machineSet)),
        mode: 0o644,
      },
      tmpfilesFile('etcd-member', [{ directory: machinePaths.etcdData, mode: 0o700 }]),
    ],
    units: [
      {
        name: ETCD_UNIT,
        enabled: true,
        contents: `[Unit]
Description=etcd member ${etcdMemberOf(model, machineSet).machine.name}
Wants=network-online.target
After=network-online.target ${TMPFILES_UNIT}${containerised ? ' containerd.service' : ''} ${ETCD_JOIN_UNIT}
Requires=${TMPFILES_UNIT}${containerised ? ' containerd.service' : ''} ${ETCD_JOIN_UNIT}
RequiresMountsFor=${machinePaths.etcdData}

[Service]
${execLines(artifacts).join('\n')}
Restart=always
RestartSec=5
TimeoutStartSec=600
LimitNOFILE=65536

[Install]
WantedBy=multi-user.target
`,
      },
    ],
  };
};
