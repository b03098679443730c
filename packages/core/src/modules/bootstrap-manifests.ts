import { type ClusterPki, signingCaFile } from '@hakoc/certs';
import {
  ClusterRoleBinding,
  type IClusterRoleBinding,
} from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding';
import { kubernetesBinDir } from './kubernetes-binaries.js';
import { type KubernetesObject, manifestsYaml } from './manifests.js';
import type { BootModule } from './module.js';
import { machinePaths } from './paths.js';
import { waitForUnit, waitForUnitName } from './wait-for.js';

/** The unit that applies the add-on folder once the local apiserver is ready. */
export const BOOTSTRAP_MANIFESTS_UNIT = 'hakoc-bootstrap-manifests.service';

/** The field manager of every object hakoc applies, so repeated applies own the same fields. */
export const BOOTSTRAP_FIELD_MANAGER = 'hakoc-bootstrap';

/** How long the bootstrap unit waits for its own apiserver to become ready. */
const LOCAL_API_WAIT_SECONDS = 900;

/** The script that applies the add-on folder with a credential it mints for the purpose. */
export const BOOTSTRAP_MANIFESTS_SCRIPT = `${machinePaths.hakocBin}/bootstrap-manifests`;

/** Written once the manifests applied, so the unit runs at first boot only. */
export const BOOTSTRAP_MANIFESTS_DONE = '/var/lib/hakoc/bootstrap-manifests.done';

/**
 * Why a credential minted on the machine, and not the key store's super-admin kubeconfig:
 * the add-ons include the `kubeadm:cluster-admins` binding, which cannot authorise its own
 * creation, so the first apply needs `system:masters`. A kubeconfig shipped in the boot config
 * would stay readable in the instance's user-data for the machine's whole life, even after
 * the file is deleted from disk. A controller holds the cluster CA key anyway (the
 * controller-manager signs with it), so the script issues itself a `system:masters` client
 * certificate from it, valid one day (openssl's `-days` counts whole days; the run needs
 * minutes), in a private folder under /run (memory, never disk), uses it for this one apply
 * and removes it on exit, success or failure. Nothing super-admin is ever in user-data or in
 * the key store's rendered output; the break-glass `superAdmin` kubeconfig stays with the
 * operator.
 */
export const BOOTSTRAP_MANIFESTS_SCRIPT_TEXT = `#!/bin/bash
# Usage: bootstrap-manifests KUBECTL PKI_DIR SERVER ADDONS_DIR FIELD_MANAGER DONE_FILE
set -euo pipefail
kubectl=$1 pki=$2 server=$3 addons=$4 manager=$5 done_file=$6
umask 077
# systemd's RuntimeDirectory: in memory, 0700, ours alone.
work=$(mktemp -d -p "\${RUNTIME_DIRECTORY:-/run}" bootstrap-admin.XXXXXX)
trap 'rm -rf "$work"' EXIT
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$work/key.pem"
openssl req -new -key "$work/key.pem" -subj "/O=system:masters/CN=hakoc:bootstrap-manifests" -out "$work/csr.pem"
printf 'basicConstraints=critical,CA:FALSE\\nkeyUsage=critical,digitalSignature\\nextendedKeyUsage=clientAuth\\n' >"$work/ext.cnf"
openssl x509 -req -in "$work/csr.pem" -CA "$pki/${signingCaFile}" -CAkey "$pki/ca.key" -set_serial "0x$(openssl rand -hex 16)" -days 1 -sha256 -extfile "$work/ext.cnf" -out "$work/cert.pem"
"$kubectl" --kubeconfig=/dev/null --server="$server" --certificate-authority="$pki/ca.crt" \\
  --client-certificate="$work/cert.pem" --client-key="$work/key.pem" \\
  apply --server-side --force-conflicts --field-manager="$manager" --filename="$addons/"
mkdir -p "$(dirname "$done_file")"
touch "$done_file"
`;

/** TLS bootstrapping's RBAC (join, CSR auto-approval, cluster admins) as typed objects. */
export function tlsBootstrapManifests(pki: ClusterPki): KubernetesObject[] {
  return pki.workerBootstrap.rbacManifests.map(
    (manifest) => new ClusterRoleBinding(manifest as unknown as IClusterRoleBinding),
  );
}

/**
 * The one-time cluster bootstrap: RBAC for TLS bootstrapping and CSR approval, the bootstrap
 * token Secret, then every add-on file other modules put in the folder. Every controller runs
 * it at first boot, possibly all at once: server-side apply with one field manager and
 * `--force-conflicts` makes each run converge to the same objects, so concurrent and repeated
 * runs are harmless. It authenticates with a `system:masters` certificate it issues itself
 * for that one apply (see `BOOTSTRAP_MANIFESTS_SCRIPT_TEXT`), and runs at first boot only.
 */
export const bootstrapManifestsModule: BootModule = (model, machineSet, { pki, binaries }) => {
  if (machineSet.role !== 'controlPlane') return {};
  const addons = machinePaths.addons;
  const localApi = waitForUnit(
    'local-apiserver',
    {
      https: {
        url: `https://127.0.0.1:${model.endpoints.apiPort}/readyz`,
        caFile: `${machinePaths.kubernetesPki}/ca.crt`,
      },
    },
    LOCAL_API_WAIT_SECONDS,
  );
  const args = [
    `${kubernetesBinDir(binaries)}/kubectl`,
    machinePaths.kubernetesPki,
    `https://127.0.0.1:${model.endpoints.apiPort}`,
    addons,
    BOOTSTRAP_FIELD_MANAGER,
    BOOTSTRAP_MANIFESTS_DONE,
  ].join(' ');
  return {
    files: [
      { path: BOOTSTRAP_MANIFESTS_SCRIPT, contents: BOOTSTRAP_MANIFESTS_SCRIPT_TEXT, mode: 0o755 },
      {
        path: `${addons}/00-tls-bootstrap-rbac.yaml`,
        contents: manifestsYaml(tlsBootstrapManifests(pki)),
        mode: 0o644,
      },
      {
        path: `${addons}/10-bootstrap-token.yaml`,
        contents: pki.workerBootstrap.tokenSecretManifest.reveal(),
        mode: 0o600,
        secret: true,
      },
    ],
    units: [
      localApi,
      {
        name: BOOTSTRAP_MANIFESTS_UNIT,
        enabled: true,
        contents: `[Unit]
Description=Apply the cluster bootstrap manifests (server-side apply; safe on every controller at once)
Requires=${waitForUnitName('local-apiserver')}
After=${waitForUnitName('local-apiserver')} kubelet.service
ConditionPathExists=!${BOOTSTRAP_MANIFESTS_DONE}
StartLimitIntervalSec=1800
StartLimitBurst=20

[Service]
Type=oneshot
RemainAfterExit=yes
RuntimeDirectory=hakoc-bootstrap-manifests
RuntimeDirectoryMode=0700
ExecStart=${BOOTSTRAP_MANIFESTS_SCRIPT} ${args}
Restart=on-failure
RestartSec=15

[Install]
WantedBy=multi-user.target
`,
      },
    ],
  };
};
