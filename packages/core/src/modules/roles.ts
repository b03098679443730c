import { type BootConfig, composeBootConfig } from '../boot/index.js';
import type { ClusterModel, MachineRole, MachineSet } from '../model/index.js';
import { baseModule } from './base.js';
import { bootstrapManifestsModule } from './bootstrap-manifests.js';
import { certsModule } from './certs.js';
import { containerdModule } from './containerd.js';
import { controlPlaneModule } from './control-plane.js';
import { corednsModule } from './coredns.js';
import { etcdDataDiskModule } from './etcd-data-disk.js';
import { etcdJoinModule } from './etcd-join.js';
import { etcdMemberModule } from './etcd-member.js';
import { etcdMemberLeaveModule } from './etcd-member-leave.js';
import { etcdMemberToolsModule } from './etcd-member-tools.js';
import { etcdSnapshotsModule } from './etcd-snapshots.js';
import { flannelModule } from './flannel.js';
import { hostsModule } from './hosts.js';
import { kubeProxyModule } from './kube-proxy.js';
import { kubeletModule } from './kubelet.js';
import { kubeletClientCertificateModule } from './kubelet-client-certificate.js';
import { kubernetesBinariesModule } from './kubernetes-binaries.js';
import { metadataConcealmentModule } from './metadata-concealment.js';
import type { ModuleArtifacts, NamedBootModule } from './module.js';
import { nodeEnvironmentModule } from './node-environment.js';
import { waitForModule } from './wait-for.js';

const named = (name: string, module: NamedBootModule['module']): NamedBootModule => ({
  name,
  module,
});

/** Modules every Kubernetes node (controller or worker) runs. */
const nodeModules: readonly NamedBootModule[] = [
  named('base', baseModule),
  named('hosts', hostsModule),
  named('certs', certsModule),
  named('kubernetes-binaries', kubernetesBinariesModule),
  named('containerd', containerdModule),
  named('node-environment', nodeEnvironmentModule),
  named('wait-for', waitForModule),
  named('metadata-concealment', metadataConcealmentModule),
  named('kubelet', kubeletModule),
];

/**
 * The modules of each role, in the order a reader would follow a machine's boot. The health
 * endpoints are configured by the modules that serve them (see `health.ts`).
 */
export const roleModules: Readonly<Record<MachineRole, readonly NamedBootModule[]>> = {
  etcd: [
    named('base', baseModule),
    named('hosts', hostsModule),
    named('certs', certsModule),
    named('containerd', containerdModule),
    named('etcd-data-disk', etcdDataDiskModule),
    named('etcd-member-tools', etcdMemberToolsModule),
    named('etcd-join', etcdJoinModule),
    named('etcd-member', etcdMemberModule),
    named('etcd-member-leave', etcdMemberLeaveModule),
    named('etcd-snapshots', etcdSnapshotsModule),
  ],
  controlPlane: [
    ...nodeModules,
    named('kubelet-client-certificate', kubeletClientCertificateModule),
    named('control-plane', controlPlaneModule),
    named('kube-proxy', kubeProxyModule),
    named('flannel', flannelModule),
    named('coredns', corednsModule),
    named('bootstrap-manifests', bootstrapManifestsModule),
  ],
  workers: nodeModules,
};

/**
 * The boot configuration of a machine set: its role's modules, composed (a path or unit two
 * modules write is an error). etcd sets must hold exactly one member.
 */
export function roleBootConfig(
  model: ClusterModel,
  machineSet: MachineSet,
  artifacts: ModuleArtifacts,
): BootConfig {
  return composeBootConfig(
    roleModules[machineSet.role].map(({ name, module }) => ({
      module: name,
      part: module(model, machineSet, artifacts),
    })),
  );
}
