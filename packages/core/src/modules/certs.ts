import { type CertifiedKey, type ClusterPki, HakocError } from '@hakoc/certs';
import type { BootFile } from '../boot/index.js';
import { etcdMemberOf } from './etcd-identity.js';
import type { BootModule } from './module.js';
import { machinePaths } from './paths.js';

const pki = machinePaths.kubernetesPki;

/** Kubeconfig paths on controllers, as kubeadm names them. */
export const controllerKubeconfigs = {
  controllerManager: '/etc/kubernetes/controller-manager.conf',
  scheduler: '/etc/kubernetes/scheduler.conf',
  /** `system:masters`: used once by the bootstrap unit, which deletes it afterwards. */
  superAdmin: '/etc/kubernetes/super-admin.conf',
} as const;

function certificate(path: string, pem: string): BootFile {
  return { path, contents: pem, mode: 0o644 };
}

function key(path: string, pem: { reveal(): string }): BootFile {
  return { path, contents: pem.reveal(), mode: 0o600, secret: true };
}

function pair(dir: string, name: string, material: CertifiedKey): BootFile[] {
  return [
    certificate(`${dir}/${name}.crt`, material.certificate),
    key(`${dir}/${name}.key`, material.key),
  ];
}

/** An etcd member: its own server and peer pairs and the etcd CA certificate, nothing else. */
function etcdFiles(artifactsPki: ClusterPki, member: string): BootFile[] {
  const own = artifactsPki.etcdMembers[member];
  if (own === undefined) {
    throw new HakocError('HAKOC_RENDER_PKI_MISSING', `the PKI has no certificates for ${member}`, {
      hint: 'load the PKI with the request pkiRequestFor(model) makes for this model',
    });
  }
  const dir = machinePaths.etcdPki;
  return [
    certificate(`${dir}/ca.crt`, artifactsPki.etcdCa.certificate),
    ...pair(dir, 'server', own.server),
    ...pair(dir, 'peer', own.peer),
  ];
}

/**
 * A controller: the cluster CA key (the controller-manager signs kubelet client CSRs, and the
 * controller's own kubelet certificate is issued at boot), the apiserver's serving, kubelet-
 * client, etcd-client and front-proxy-client pairs, the service-account key pair, the CA
 * certificates the components verify against, and the kubeconfigs. Not the front-proxy CA key
 * (nothing on the machine signs with it: the front-proxy client certificate is pre-issued) and
 * never the etcd CA key.
 */
function controllerFiles(p: ClusterPki): BootFile[] {
  return [
    ...pair(pki, 'ca', p.ca),
    certificate(`${pki}/front-proxy-ca.crt`, p.frontProxyCa.certificate),
    certificate(`${pki}/etcd/ca.crt`, p.etcdCa.certificate),
    ...pair(pki, 'apiserver', p.apiserver),
    ...pair(pki, 'apiserver-kubelet-client', p.apiserverKubeletClient),
    ...pair(pki, 'apiserver-etcd-client', p.apiserverEtcdClient),
    ...pair(pki, 'front-proxy-client', p.frontProxyClient),
    key(`${pki}/sa.key`, p.serviceAccount.privateKey),
    certificate(`${pki}/sa.pub`, p.serviceAccount.publicKey),
    key(controllerKubeconfigs.controllerManager, p.kubeconfigs.controllerManager),
    key(controllerKubeconfigs.scheduler, p.kubeconfigs.scheduler),
    key(controllerKubeconfigs.superAdmin, p.kubeconfigs.superAdmin),
  ];
}

/** A worker: the cluster CA certificate and the bootstrap kubeconfig (CA and token). No key. */
function workerFiles(p: ClusterPki): BootFile[] {
  return [
    certificate(`${pki}/ca.crt`, p.ca.certificate),
    key(machinePaths.bootstrapKubeconfig, p.workerBootstrap.kubeconfig),
  ];
}

/** Each role's certificates, keys and kubeconfigs: exactly what its services use. */
export const certsModule: BootModule = (model, machineSet, { pki: clusterPki }) => {
  switch (machineSet.role) {
    case 'etcd':
      return { files: etcdFiles(clusterPki, etcdMemberOf(model, machineSet).machine.name) };
    case 'controlPlane':
      return { files: controllerFiles(clusterPki) };
    case 'workers':
      return { files: workerFiles(clusterPki) };
  }
};
