export {
  type Diagnostic,
  type DiagnosticLocation,
  formatDiagnostic,
  formatPath,
} from './diagnostic.js';
export { clusterSpecJsonSchema } from './json-schema.js';
export {
  DEFAULT_KUBERNETES_VERSION,
  isSupportedKubernetesVersion,
  SUPPORTED_KUBERNETES_VERSIONS,
} from './kubernetes-versions.js';
export {
  loadClusterSpec,
  type ParseFailure,
  type ParseOptions,
  type ParseResult,
  type ParseSuccess,
  parseClusterSpec,
} from './parse.js';
export { readClusterSpecFile } from './read-file.js';
export type { AccessSpec } from './schema/access.js';
export {
  CLUSTER_API_VERSION,
  type ClusterSpec,
  type ClusterSpecBody,
  type ClusterSpecBodyInput,
  type ClusterSpecInput,
} from './schema/cluster.js';
export type { GceSpec } from './schema/gce.js';
export {
  FEDORA_COREOS_CHANNELS,
  FLATCAR_CHANNELS,
  type ImageChannel,
  type ImageSpec,
} from './schema/image.js';
export type {
  KeyStoreSpec,
  PassphraseFromEnv,
  PassphraseFromFile,
  PassphrasePrompt,
  PassphraseSource,
} from './schema/key-store.js';
export type { KubernetesSpec } from './schema/kubernetes.js';
export {
  type AutoscaledWorkerPool,
  type ControlPlaneSpec,
  DEFAULT_WORKER_CPU_TARGET,
  type EtcdSnapshotSpec,
  type EtcdSpec,
  type EtcdSpecInput,
  type FixedWorkerPool,
  fewestWorkers,
  MAX_ETCD_MEMBERS,
  type MachineSizing,
  mostWorkers,
  type WorkerPoolSize,
  type WorkersSpec,
  type WorkersSpecInput,
} from './schema/machine-sets.js';
export type { ClusterMetadata } from './schema/metadata.js';
export { type NetworkSpec, POD_SUBNET_PREFIX_LENGTH } from './schema/network.js';
export type { PkiSpec } from './schema/pki.js';
export type {
  GceProvider,
  GceProviderInput,
  GceSpecInput,
  ProviderSpec,
  ProviderSpecInput,
  VagrantProvider,
  VagrantProviderInput,
} from './schema/provider.js';
export type { WithDefaults } from './schema/schema-for.js';
export type { VagrantSpec } from './schema/vagrant.js';
export { SPEC_INVALID, SpecError } from './spec-error.js';
