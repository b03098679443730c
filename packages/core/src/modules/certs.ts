import { dirname } from 'node:path';
import {
  type ClusterPki,
  HakocError,
  isHakocError,
  type MachineFile,
  type MachinePkiLayout,
  type MachineRole,
  machineFiles,
} from '@hakoc/certs';
import type { BootFile } from '../boot/index.js';
import type { MachineSet } from '../model/index.js';
import { etcdMemberOf } from './etcd-identity.js';
import type { BootModule } from './module.js';
import { machinePaths } from './paths.js';

/** Kubeconfig paths on controllers, as kubeadm names them. */
export const controllerKubeconfigs = {
  controllerManager: '/etc/kubernetes/controller-manager.conf',
  scheduler: '/etc/kubernetes/scheduler.conf',
} as const;

/** Where `@hakoc/certs` puts each role's files: this package's machine paths. */
const layout: MachinePkiLayout = {
  kubernetesDir: dirname(machinePaths.kubernetesPki),
  etcdPkiDir: machinePaths.etcdPki,
};

function bootFile(file: MachineFile): BootFile {
  return typeof file.content === 'string'
    ? { path: file.path, contents: file.content, mode: file.mode }
    : { path: file.path, contents: file.content.reveal(), mode: file.mode, secret: true };
}

function filesFor(pki: ClusterPki, machine: MachineRole): BootFile[] {
  try {
    return machineFiles(pki, machine, layout).map(bootFile);
  } catch (error) {
    if (isHakocError(error) && error.code === 'HAKOC_PKI_UNKNOWN_MEMBER') {
      throw new HakocError('HAKOC_RENDER_PKI_MISSING', error.message, {
        cause: error,
        hint: 'load the PKI with the request pkiRequestFor(model) makes for this model',
      });
    }
    throw error;
  }
}

const roles: Record<MachineSet['role'], MachineRole['role']> = {
  etcd: 'etcd',
  controlPlane: 'control-plane',
  workers: 'worker',
};

/**
 * Each role's certificates, keys and kubeconfigs: exactly `machineFiles` from `@hakoc/certs`,
 * the one list of what each machine gets (no super-admin credential among them: see
 * `bootstrap-manifests.ts`), placed at this package's machine paths.
 */
export const certsModule: BootModule = (model, machineSet, { pki }) => {
  const role = roles[machineSet.role];
  const machine: MachineRole =
    role === 'etcd' ? { role, member: etcdMemberOf(model, machineSet).machine.name } : { role };
  return { files: filesFor(pki, machine) };
};
