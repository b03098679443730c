import { stringify } from 'yaml';
import type { BootstrapToken } from './bootstrap-token.js';
import { Secret } from './secret.js';

/** A Kubernetes object as a plain JSON-compatible value, ready for `kubectl apply`. */
export interface KubernetesManifest {
  /** API group and version, such as `rbac.authorization.k8s.io/v1`. */
  readonly apiVersion: string;
  /** Object kind, such as `ClusterRoleBinding`. */
  readonly kind: string;
  /** Name, namespace and labels; every object carries `hakoc-managed: "true"`. */
  readonly metadata: {
    /** Object name. */
    readonly name: string;
    /** Namespace, for namespaced kinds. */
    readonly namespace?: string;
    /** Labels. */
    readonly labels?: Readonly<Record<string, string>>;
  };
  /** The kind's own fields (`roleRef`, `subjects`, `stringData`, …). */
  readonly [field: string]: unknown;
}

/**
 * The extra group every hakoc bootstrap token authenticates as (besides
 * `system:bootstrappers`). The API server only accepts extra groups under
 * `system:bootstrappers:`.
 */
export const bootstrapTokenGroup = 'system:bootstrappers:hakoc:worker';

const labels = { 'hakoc-managed': 'true' } as const;

function clusterRoleBinding(name: string, role: string, group: string): KubernetesManifest {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name, labels },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
    subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: group }],
  };
}

/**
 * The RBAC objects TLS bootstrapping needs, as kubeadm sets them up:
 * - bootstrap-token holders may create CSRs (`system:node-bootstrapper`);
 * - the controller-manager's csrapproving controller auto-approves their first node client
 *   certificate (`…:nodeclient`) and every node's renewal of its own (`…:selfnodeclient`);
 * - the `kubeadm:cluster-admins` group of the admin kubeconfig is cluster-admin.
 *
 * Kubelet *serving* certificates are not approved by anything here: see `kubelet-serving.ts`.
 */
export function tlsBootstrapRbacManifests(): KubernetesManifest[] {
  return [
    clusterRoleBinding('hakoc:kubelet-bootstrap', 'system:node-bootstrapper', bootstrapTokenGroup),
    clusterRoleBinding(
      'hakoc:node-autoapprove-bootstrap',
      'system:certificates.k8s.io:certificatesigningrequests:nodeclient',
      bootstrapTokenGroup,
    ),
    clusterRoleBinding(
      'hakoc:node-autoapprove-certificate-rotation',
      'system:certificates.k8s.io:certificatesigningrequests:selfnodeclient',
      'system:nodes',
    ),
    clusterRoleBinding('kubeadm:cluster-admins', 'cluster-admin', 'kubeadm:cluster-admins'),
  ];
}

/**
 * The `bootstrap.kubernetes.io/token` Secret in `kube-system` that makes the API server accept
 * `token`, as YAML. It carries the token's private part, so it comes back as a {@link Secret}.
 */
export function bootstrapTokenSecretManifest(token: BootstrapToken): Secret {
  const manifest: KubernetesManifest = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: `bootstrap-token-${token.id}`, namespace: 'kube-system', labels },
    type: 'bootstrap.kubernetes.io/token',
    stringData: {
      description: 'hakoc worker join token',
      'token-id': token.id,
      'token-secret': token.secret.reveal(),
      expiration: token.expires.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      'usage-bootstrap-authentication': 'true',
      'auth-extra-groups': bootstrapTokenGroup,
    },
  };
  return new Secret(stringify(manifest));
}

/** Several manifests as one multi-document YAML text. */
export function manifestsToYaml(manifests: readonly KubernetesManifest[]): string {
  return manifests.map((manifest) => stringify(manifest)).join('---\n');
}
