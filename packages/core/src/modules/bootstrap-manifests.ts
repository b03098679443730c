import type { ClusterPki } from '@hakoc/certs';
import {
  ClusterRoleBinding,
  type IClusterRoleBinding,
} from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding';
import { controllerKubeconfigs } from './certs.js';
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
 * runs are harmless. It authenticates with the `system:masters` kubeconfig (the
 * `kubeadm:cluster-admins` binding it creates cannot authorise its own creation) and deletes
 * that file once it has succeeded, so the break-glass credential does not stay on the machine.
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
  const kubectl = `${kubernetesBinDir(binaries)}/kubectl --kubeconfig=${controllerKubeconfigs.superAdmin}`;
  return {
    files: [
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
ConditionPathExists=${controllerKubeconfigs.superAdmin}
StartLimitIntervalSec=1800
StartLimitBurst=20

[Service]
Type=oneshot
RemainAfterExit=yes
ExecStart=${kubectl} apply --server-side --force-conflicts --field-manager=${BOOTSTRAP_FIELD_MANAGER} --filename=${addons}/
ExecStartPost=/usr/bin/rm -f ${controllerKubeconfigs.superAdmin}
Restart=on-failure
RestartSec=15

[Install]
WantedBy=multi-user.target
`,
      },
    ],
  };
};
