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
  /** Path relative to `/etc/kubernetes`, kubeadm's on-machine layout (`pki/apiserver.crt`). */
  readonly path: string;
  /** The content; a {@link Secret} when it holds a key or a credential. */
  readonly content: string | Secret;
  /** 0o600 for keys and credentials, 0o644 for certificates. */
  readonly mode: number;
}

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
 * The PKI files one machine needs, and nothing more:
 * - **worker**: the cluster CA certificate and the bootstrap kubeconfig (a token, no key);
 * - **etcd member**: the etcd CA certificate, its own server and peer pairs, and the
 *   healthcheck client pair its local health probe dials 2379 with;
 * - **control plane**: what the static pods read — the cluster CA key too, because the
 *   controller-manager signs kubelet client certificates with it — plus the bootstrap
 *   kubeconfig for its own kubelet. Never the etcd or front-proxy CA keys: those stay in the
 *   operator's key store.
 *
 * Throws `HAKOC_PKI_UNKNOWN_MEMBER` for an etcd member the PKI has no certificates for.
 */
export function machineFiles(pki: ClusterPki, machine: MachineRole): MachineFile[] {
  const caCertificate = certificate('pki/ca.crt', pki.ca.certificate);
  const bootstrapKubeconfig = secret('bootstrap-kubelet.conf', pki.workerBootstrap.kubeconfig);
  switch (machine.role) {
    case 'worker':
      return [caCertificate, bootstrapKubeconfig];
    case 'etcd': {
      const member = pki.etcdMembers[machine.member];
      if (member === undefined) {
        throw new HakocError(
          'HAKOC_PKI_UNKNOWN_MEMBER',
          `No etcd member "${machine.member}" in the PKI`,
          {
            hint: 'Add the member to the PKI request and load the key store again.',
          },
        );
      }
      return [
        certificate('pki/etcd/ca.crt', pki.etcdCa.certificate),
        ...pair('pki/etcd/server', member.server),
        ...pair('pki/etcd/peer', member.peer),
        ...pair('pki/etcd/healthcheck-client', pki.etcdHealthcheckClient),
      ];
    }
    case 'control-plane':
      return [
        caCertificate,
        secret('pki/ca.key', pki.ca.key),
        ...pair('pki/apiserver', pki.apiserver),
        ...pair('pki/apiserver-kubelet-client', pki.apiserverKubeletClient),
        ...pair('pki/apiserver-etcd-client', pki.apiserverEtcdClient),
        certificate('pki/etcd/ca.crt', pki.etcdCa.certificate),
        certificate('pki/front-proxy-ca.crt', pki.frontProxyCa.certificate),
        ...pair('pki/front-proxy-client', pki.frontProxyClient),
        secret('pki/sa.key', pki.serviceAccount.privateKey),
        certificate('pki/sa.pub', pki.serviceAccount.publicKey),
        secret('controller-manager.conf', pki.kubeconfigs.controllerManager),
        secret('scheduler.conf', pki.kubeconfigs.scheduler),
        bootstrapKubeconfig,
      ];
  }
}
