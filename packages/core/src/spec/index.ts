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
export { loadClusterSpec, type ParseOptions, type ParseResult, parseClusterSpec } from './parse.js';
export { readClusterSpecFile } from './read-file.js';
export type { AccessSpec } from './schema/access.js';
export {
  CLUSTER_API_VERSION,
  type ClusterSpec,
  type ClusterSpecInput,
  clusterSpecSchema,
  type KeyStoreSpec,
} from './schema/cluster.js';
export type { GceSpec } from './schema/gce.js';
export { FEDORA_COREOS_CHANNELS, FLATCAR_CHANNELS, type ImageSpec } from './schema/image.js';
export type { PassphraseSource } from './schema/key-store.js';
export type { KubernetesSpec } from './schema/kubernetes.js';
export {
  type ControlPlaneSpec,
  DEFAULT_WORKER_CPU_TARGET,
  type EtcdSpec,
  fewestWorkers,
  mostWorkers,
  type WorkerPoolSize,
  type WorkersSpec,
} from './schema/machine-sets.js';
export type { ClusterMetadata } from './schema/metadata.js';
export { type NetworkSpec, POD_SUBNET_PREFIX_LENGTH } from './schema/network.js';
export type { PkiSpec } from './schema/pki.js';
export type { ProviderSpec } from './schema/provider.js';
export type { VagrantSpec } from './schema/vagrant.js';
export { SPEC_INVALID, SpecError } from './spec-error.js';
