export { addonPart } from './addon-file.js';
export { baseModule } from './base.js';
export {
  BOOTSTRAP_FIELD_MANAGER,
  BOOTSTRAP_MANIFESTS_UNIT,
  bootstrapManifestsModule,
  tlsBootstrapManifests,
} from './bootstrap-manifests.js';
export { certsModule, controllerKubeconfigs } from './certs.js';
export {
  type ComponentImages,
  componentImageTags,
  type PinnedImageReference,
} from './component-images.js';
export { CONTAINERD_CONFIG, containerdModule } from './containerd.js';
export {
  auditPolicy,
  CONTROL_PLANE_MANIFESTS_UNIT,
  controlPlaneModule,
  kubeApiserverPod,
  kubeControllerManagerPod,
  kubeSchedulerPod,
  NODE_IP_PLACEHOLDER,
  serviceAccountIssuer,
} from './control-plane.js';
export { corednsManifests, corednsModule, corefile } from './coredns.js';
export {
  ETCD_BOOTSTRAP_MEMBERS,
  etcdBootstrapCluster,
  etcdPossibleClientUrls,
  isEtcdBootstrapMember,
} from './etcd-bootstrap.js';
export {
  ETCD_DATA_DISK_PATH,
  ETCD_DATA_FORMAT_SCRIPT,
  ETCD_DATA_FORMAT_SCRIPT_TEXT,
  ETCD_DATA_FORMAT_UNIT,
  ETCD_DATA_MOUNT_UNIT,
  etcdDataDiskModule,
} from './etcd-data-disk.js';
export { type EtcdMemberIdentity, etcdMemberOf } from './etcd-identity.js';
export {
  ETCD_JOIN_SCRIPT,
  ETCD_JOIN_SCRIPT_TEXT,
  ETCD_JOIN_UNIT,
  etcdJoinModule,
} from './etcd-join.js';
export {
  ETCD_UNIT,
  type EtcdConfigFile,
  type EtcdTransportSecurity,
  etcdConfig,
  etcdMemberModule,
} from './etcd-member.js';
export {
  ETCD_LEAVE_METADATA_KEY,
  ETCD_LEAVE_REFUSED_GUEST_ATTRIBUTE,
  ETCD_LEAVE_SCRIPT,
  ETCD_LEAVE_SCRIPT_TEXT,
  ETCD_LEAVE_UNIT,
  ETCD_LEAVE_WATCH_UNIT,
  ETCD_LEFT_GUEST_ATTRIBUTE,
  etcdMemberLeaveModule,
  GCE_METADATA_URL,
} from './etcd-member-leave.js';
export {
  ETCD_EFFECTIVE_CONFIG,
  ETCD_JOIN_PATIENCE_SECONDS,
  ETCD_JOIN_WINDOW_SECONDS,
  ETCD_LEAVE_ATTEMPTS,
  ETCD_MEMBER_ENV,
  ETCD_SNAPSHOT_DIR,
  ETCDCTL_MEMBER_SCRIPT,
  ETCDCTL_MEMBER_SCRIPT_TEXT,
  type EtcdMemberEnvironment,
  etcdMemberEnvFile,
  etcdMemberEnvironment,
  etcdMemberToolsModule,
} from './etcd-member-tools.js';
export {
  ETCD_SNAPSHOT_SCRIPT,
  ETCD_SNAPSHOT_SCRIPT_TEXT,
  ETCD_SNAPSHOT_TIMER,
  ETCD_SNAPSHOT_UNIT,
  etcdSnapshotsModule,
} from './etcd-snapshots.js';
export {
  FLANNEL_CNI_CONFLIST,
  FLANNEL_VXLAN_PORT,
  flannelManifests,
  flannelModule,
  flannelNetConf,
} from './flannel.js';
export {
  ETCD_HEALTH_PORT,
  type HealthCheck,
  KUBE_PROXY_HEALTH_PORT,
  roleHealthCheck,
} from './health.js';
export { hostsModule, vagrantHosts } from './hosts.js';
export { kubeProxyConfiguration, kubeProxyManifests, kubeProxyModule } from './kube-proxy.js';
export { kubeletModule } from './kubelet.js';
export {
  KUBELET_CLIENT_CERTIFICATE_SCRIPT,
  KUBELET_CLIENT_CERTIFICATE_SCRIPT_TEXT,
  kubeletClientCertificateModule,
  kubeletClientCertificateUnitName,
} from './kubelet-client-certificate.js';
export {
  CONTROL_PLANE_TAINT,
  type KubeletConfigurationFile,
  kubeletConfiguration,
} from './kubelet-config.js';
export {
  binariesReadyUnits,
  cniPluginSourceDir,
  type KubernetesBinaries,
  kubernetesBinariesModule,
  kubernetesBinDir,
  PREBUILT_KUBERNETES_DIR,
  SYSEXT_UNIT,
  sysextFileName,
} from './kubernetes-binaries.js';
export { type KubernetesObject, MANAGED_LABELS, manifestsYaml } from './manifests.js';
export {
  GCE_METADATA_ADDRESS,
  METADATA_CONCEALMENT_CHAIN,
  METADATA_CONCEALMENT_SCRIPT,
  METADATA_CONCEALMENT_SCRIPT_TEXT,
  METADATA_CONCEALMENT_UNIT,
  metadataConcealmentModule,
} from './metadata-concealment.js';
export type { BootModule, ModuleArtifacts, NamedBootModule } from './module.js';
export {
  NODE_ENVIRONMENT_SCRIPT,
  NODE_ENVIRONMENT_SCRIPT_TEXT,
  NODE_ENVIRONMENT_UNIT,
  nodeEnvironmentModule,
  nodeNetworkCidr,
} from './node-environment.js';
export { machinePaths } from './paths.js';
export { roleBootConfig, roleModules } from './roles.js';
export { type HostMount, type StaticPodInput, staticPod } from './static-pod.js';
export { TMPFILES_UNIT, type TmpfilesEntry, tmpfilesFile, tmpfilesUnit } from './tmpfiles.js';
export {
  WAIT_FOR_SCRIPT,
  WAIT_FOR_SCRIPT_TEXT,
  type WaitTarget,
  waitForModule,
  waitForUnit,
  waitForUnitName,
} from './wait-for.js';
