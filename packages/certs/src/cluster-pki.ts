import type { BootstrapToken } from './bootstrap-token.js';
import { kubeconfigServer, renderKubeconfig } from './kubeconfig.js';
import { pemBundle } from './pem-bundle.js';
import { publicKeyPemOf } from './private-key.js';
import {
  type CaId,
  type CertificateKind,
  certificateProfiles,
  type KubeconfigUser,
  kubeconfigUsers,
} from './profiles.js';
import type { PkiMaterial } from './reconcile.js';
import type { PkiRequest } from './request.js';
import { Secret } from './secret.js';
import {
  bootstrapTokenSecretManifest,
  type KubernetesManifest,
  tlsBootstrapRbacManifests,
} from './tls-bootstrap.js';

/** A certificate (PEM) with its private key (unencrypted PKCS#8 PEM, redacted when printed). */
export interface CertifiedKey {
  /** The certificate, PEM. Public. */
  readonly certificate: string;
  /** Its private key, unencrypted PKCS#8 PEM inside a {@link Secret}. */
  readonly key: Secret;
}

/** One certificate of the PKI with where it lives in the key store (kubeadm's layout). */
export interface PkiCertificate extends CertifiedKey {
  /** Store path without extension: `ca`, `apiserver`, `etcd/etcd-0/server`. */
  readonly id: string;
  /** The CA that signed it (a CA names itself). */
  readonly issuer: CaId;
  /** `ca`, `server`, `client` or `peer` (server + client). */
  readonly kind: CertificateKind;
  /** Its DNS subject alternative names. */
  readonly dnsNames: readonly string[];
  /** Its IP subject alternative names. */
  readonly ipAddresses: readonly string[];
}

/** An etcd member's two certificates. */
export interface EtcdMemberCertificates {
  /** Serves clients on 2379 (serverAuth + clientAuth). */
  readonly server: CertifiedKey;
  /** Talks to the other members on 2380 (serverAuth + clientAuth). */
  readonly peer: CertifiedKey;
}

/** What a worker needs to join: no CA key, only the CA certificate and a token. */
export interface WorkerBootstrap {
  /** The token workers authenticate with until they hold a client certificate. */
  readonly token: BootstrapToken;
  /** kubelet's `--bootstrap-kubeconfig`: the API endpoint, the CA and the token. */
  readonly kubeconfig: Secret;
  /** The `bootstrap-token-<id>` Secret manifest (YAML) the API server checks tokens against. */
  readonly tokenSecretManifest: Secret;
  /** RBAC for TLS bootstrapping and CSR auto-approval; nothing secret in them. */
  readonly rbacManifests: readonly KubernetesManifest[];
}

/**
 * What machines trust for each CA (PEM bundles): its certificate, and during a rotation of
 * that CA the other one too — the signing CA always first.
 */
export interface TrustBundles {
  /** Trusted for the cluster CA: client certificates, the API server's serving certificate. */
  readonly ca: string;
  /** Trusted for the etcd CA: members and their clients. */
  readonly etcdCa: string;
  /** Trusted for the front-proxy CA: the API server's requests to aggregated API servers. */
  readonly frontProxyCa: string;
}

/**
 * A cluster's whole PKI, following kubeadm's set. Private keys and kubeconfigs are
 * {@link Secret}s, so printing or serialising this object never shows key material.
 */
export interface ClusterPki {
  /** The cluster CA: signs the apiserver, its kubelet client and every kubeconfig user. */
  readonly ca: CertifiedKey;
  /**
   * What every trust anchor on the machines and in the kubeconfigs holds: each CA, and while
   * a rotation of it is in progress the old and the new one. Sign with `ca`, trust these.
   */
  readonly trustBundles: TrustBundles;
  /** A separate CA for etcd; its key never leaves the operator's key store. */
  readonly etcdCa: CertifiedKey;
  /** Signs the front-proxy client certificate (API aggregation). */
  readonly frontProxyCa: CertifiedKey;
  /** The API server's serving certificate, with every SAN clients use. */
  readonly apiserver: CertifiedKey;
  /** The API server's client certificate towards kubelets (logs, exec, port-forward). */
  readonly apiserverKubeletClient: CertifiedKey;
  /** The API server's client certificate towards etcd (signed by the etcd CA). */
  readonly apiserverEtcdClient: CertifiedKey;
  /** The API server's client certificate towards aggregated API servers. */
  readonly frontProxyClient: CertifiedKey;
  /** A client certificate for etcd health probes (signed by the etcd CA). */
  readonly etcdHealthcheckClient: CertifiedKey;
  /** Per etcd member, by member name. */
  readonly etcdMembers: Readonly<Record<string, EtcdMemberCertificates>>;
  /** The key pair the API server verifies and the controller-manager signs SA tokens with. */
  readonly serviceAccount: {
    /** SubjectPublicKeyInfo PEM (`sa.pub`, the API server's `--service-account-key-file`). */
    readonly publicKey: string;
    /** PKCS#8 PEM (`sa.key`, `--service-account-signing-key-file`). */
    readonly privateKey: Secret;
  };
  /** The client certificates inside the kubeconfigs. */
  readonly clientCertificates: Readonly<Record<KubeconfigUser, CertifiedKey>>;
  /** Kubeconfigs (YAML with everything embedded): admin (`kubeadm:cluster-admins`), the
   * break-glass superAdmin (`system:masters`), controllerManager and scheduler. */
  readonly kubeconfigs: Readonly<Record<KubeconfigUser, Secret>>;
  /** What workers (and control-plane kubelets) join with. */
  readonly workerBootstrap: WorkerBootstrap;
  /** Every certificate above, CAs first, for code that handles them all alike. */
  readonly certificates: readonly PkiCertificate[];
}

/** Builds the {@link ClusterPki} view of complete material. */
export function assembleClusterPki(
  request: PkiRequest,
  material: PkiMaterial & { serviceAccountKey: string; bootstrapToken: BootstrapToken },
): ClusterPki {
  const certificates = certificateProfiles(request).map((profile): PkiCertificate => {
    const certificate = material.certificates.get(profile.id);
    const key = material.keys.get(profile.id);
    if (certificate === undefined || key === undefined) {
      throw new TypeError(`incomplete PKI material: ${profile.id}`);
    }
    return {
      id: profile.id,
      issuer: profile.issuer,
      kind: profile.kind,
      dnsNames: profile.dnsNames,
      ipAddresses: profile.ipAddresses,
      certificate,
      key: new Secret(key),
    };
  });
  const byId = new Map(certificates.map((entry) => [entry.id, entry]));
  const get = (id: string): CertifiedKey => {
    const entry = byId.get(id);
    if (entry === undefined) throw new TypeError(`no certificate ${id}`);
    return { certificate: entry.certificate, key: entry.key };
  };
  const ca = get('ca');
  // The live CA first (it signs), then the other one a rotation keeps: the new CA while the
  // old still signs, the old one once the new signs.
  const trust = (id: CaId): string => {
    const { certificate } = get(id);
    const other = [material.incoming?.get(id), material.retiring?.get(id)]
      .map((ca) => ca?.certificate)
      .find((pem) => pem !== undefined && pem !== certificate);
    return other === undefined ? certificate : pemBundle([certificate, other]);
  };
  const trustBundles: TrustBundles = {
    ca: trust('ca'),
    etcdCa: trust('etcd/ca'),
    frontProxyCa: trust('front-proxy-ca'),
  };

  const users = Object.keys(kubeconfigUsers) as KubeconfigUser[];
  const clientCertificates = Object.fromEntries(
    users.map((user) => [user, get(kubeconfigUsers[user].id)]),
  ) as Record<KubeconfigUser, CertifiedKey>;
  const kubeconfigs = Object.fromEntries(
    users.map((user) => {
      const client = clientCertificates[user];
      const config = renderKubeconfig({
        clusterName: request.clusterName,
        server: kubeconfigServer(request, user),
        caCertificate: trustBundles.ca,
        userName: kubeconfigUsers[user].cn,
        credentials: { clientCertificate: client.certificate, clientKey: client.key },
      });
      return [user, config];
    }),
  ) as Record<KubeconfigUser, Secret>;

  const token = material.bootstrapToken;
  return {
    ca,
    trustBundles,
    etcdCa: get('etcd/ca'),
    frontProxyCa: get('front-proxy-ca'),
    apiserver: get('apiserver'),
    apiserverKubeletClient: get('apiserver-kubelet-client'),
    apiserverEtcdClient: get('apiserver-etcd-client'),
    frontProxyClient: get('front-proxy-client'),
    etcdHealthcheckClient: get('etcd/healthcheck-client'),
    etcdMembers: Object.fromEntries(
      request.etcdMembers.map((member) => [
        member.name,
        { server: get(`etcd/${member.name}/server`), peer: get(`etcd/${member.name}/peer`) },
      ]),
    ),
    serviceAccount: {
      publicKey: publicKeyPemOf(material.serviceAccountKey),
      privateKey: new Secret(material.serviceAccountKey),
    },
    clientCertificates,
    kubeconfigs,
    workerBootstrap: {
      token,
      kubeconfig: renderKubeconfig({
        clusterName: request.clusterName,
        server: kubeconfigServer(request, 'bootstrap'),
        caCertificate: trustBundles.ca,
        userName: 'kubelet-bootstrap',
        credentials: { token: token.token },
      }),
      tokenSecretManifest: bootstrapTokenSecretManifest(token),
      rbacManifests: tlsBootstrapRbacManifests(),
    },
    certificates,
  };
}
