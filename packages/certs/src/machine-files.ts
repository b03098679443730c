import type { CertifiedKey, ClusterPki } from './cluster-pki.js';
import { HakocError } from './errors.js';
import type { Secret } from './secret.js';

/** Which machine the files are for. */
export type MachineRole =
  | {
      /** A control-plane machine (API server, controller-manager, scheduler, kubelet). */
      readonly role: 'control-plane';
    }
  | {
      /** An etcd member. */
      readonly role: 'etcd';
      /** Its member name, as in the PKI request. */
      readonly member: string;
    }
  | {
      /** A worker: kubelet and kube-proxy only. */
      readonly role: 'worker';
    };

/** One file a machine receives. */
export interface MachineFile {
  /** Absolute path on the machine, under the {@link MachinePkiLayout}'s folders. */
  readonly path: string;
  /** The content; a {@link Secret} when it holds a key or a credential. */
  readonly content: string | Secret;
  /** 0o600 for keys and credentials, 0o644 for certificates. */
  readonly mode: number;
}

/** Where the PKI files go on a machine. */
export interface MachinePkiLayout {
  /** kubeadm's folder: `pki/` beneath it, kubeconfigs in it. @default '/etc/kubernetes' */
  readonly kubernetesDir: string;
  /** An etcd member's own certificates and keys. @default '/etc/etcd/pki' */
  readonly etcdPkiDir: string;
}

/**
 * The certificate of `ca.key` alone, beside `ca.crt` in the control plane's `pki/`: what signs
 * (the controller-manager's CSR signer, which refuses a file of more than one certificate, and
 * the controllers' boot-time certificates), where `ca.crt` is what is trusted.
 */
export const signingCaFile = 'ca-signer.crt';

/** kubeadm's `/etc/kubernetes`, and etcd's own folder on etcd machines (which run no kubelet). */
export const defaultMachinePkiLayout: MachinePkiLayout = {
  kubernetesDir: '/etc/kubernetes',
  etcdPkiDir: '/etc/etcd/pki',
};

const certificate = (path: string, content: string): MachineFile => ({
  path,
  content,
  mode: 0o644,
});
const secret = (path: string, content: Secret): MachineFile => ({ path, content, mode: 0o600 });
const pair = (path: string, value: CertifiedKey): MachineFile[] => [
  certificate(`${path}.crt`, value.certificate),
  secret(`${path}.key`, value.key),
];

/**
 * The PKI files one machine needs, and nothing more — the one list of them; `@hakoc/core`'s
 * certs module ships exactly this.
 *
 * - **worker**: the cluster CA certificate and the bootstrap kubeconfig (a token, no key).
 * - **etcd member**: the etcd CA certificate and its own server and peer pairs. No
 *   health-check client: the health probe reads the plain-HTTP metrics listener, and a local
 *   `etcdctl` can use the member's server pair, which carries clientAuth too.
 * - **control plane**: what the static pods read — the cluster CA key too (with its
 *   certificate alone in {@link signingCaFile}), because the
 *   controller-manager signs kubelet client certificates with it and the controller's own
 *   kubelet certificate is issued from it at boot (so no bootstrap kubeconfig) — and the
 *   controller-manager and scheduler kubeconfigs. Never the etcd or front-proxy CA keys (those
 *   stay in the operator's key store: the front-proxy client certificate is pre-issued), and
 *   never the `system:masters` super-admin kubeconfig: boot configs stay readable in instance
 *   metadata for the machine's whole life, so the one-time cluster bootstrap mints its own
 *   short-lived credential on the machine instead (see the package README, "Security").
 *
 * Throws `HAKOC_PKI_UNKNOWN_MEMBER` for an etcd member the PKI has no certificates for.
 */
export function machineFiles(
  pki: ClusterPki,
  machine: MachineRole,
  layout: MachinePkiLayout = defaultMachinePkiLayout,
): MachineFile[] {
  const dir = layout.kubernetesDir;
  // Every CA file a machine trusts is a trust bundle: the CA, and during its rotation the
  // retiring one too. Only the controller-manager's signer reads the one CA it signs with.
  const caCertificate = certificate(`${dir}/pki/ca.crt`, pki.trustBundles.ca);
  switch (machine.role) {
    case 'worker':
      return [
        caCertificate,
        secret(`${dir}/bootstrap-kubelet.conf`, pki.workerBootstrap.kubeconfig),
      ];
    case 'etcd': {
      const member = pki.etcdMembers[machine.member];
      if (member === undefined) {
        throw new HakocError(
          'HAKOC_PKI_UNKNOWN_MEMBER',
          `No etcd member "${machine.member}" in the PKI`,
          { hint: 'Add the member to the PKI request and load the key store again.' },
        );
      }
      const etcd = layout.etcdPkiDir;
      return [
        certificate(`${etcd}/ca.crt`, pki.trustBundles.etcdCa),
        ...pair(`${etcd}/server`, member.server),
        ...pair(`${etcd}/peer`, member.peer),
      ];
    }
    case 'control-plane':
      return [
        caCertificate,
        certificate(`${dir}/pki/${signingCaFile}`, pki.ca.certificate),
        secret(`${dir}/pki/ca.key`, pki.ca.key),
        certificate(`${dir}/pki/front-proxy-ca.crt`, pki.trustBundles.frontProxyCa),
        certificate(`${dir}/pki/etcd/ca.crt`, pki.trustBundles.etcdCa),
        ...pair(`${dir}/pki/apiserver`, pki.apiserver),
        ...pair(`${dir}/pki/apiserver-kubelet-client`, pki.apiserverKubeletClient),
        ...pair(`${dir}/pki/apiserver-etcd-client`, pki.apiserverEtcdClient),
        ...pair(`${dir}/pki/front-proxy-client`, pki.frontProxyClient),
        secret(`${dir}/pki/sa.key`, pki.serviceAccount.privateKey),
        certificate(`${dir}/pki/sa.pub`, pki.serviceAccount.publicKey),
        secret(`${dir}/controller-manager.conf`, pki.kubeconfigs.controllerManager),
        secret(`${dir}/scheduler.conf`, pki.kubeconfigs.scheduler),
      ];
  }
}
