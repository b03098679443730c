/**
 * `@hakoc/certs`: the cluster PKI — CAs, leaf certificates, kubeconfigs, bootstrap tokens
 * and an encrypted key store.
 *
 * Start with {@link loadOrCreatePki}: give it a folder, a {@link PkiRequest} and a passphrase,
 * get back a {@link ClusterPki}. Key material is always wrapped in {@link Secret}, which prints
 * as `[redacted]`.
 *
 * @packageDocumentation
 */

export { writeFileAtomic } from './atomic-write.js';
export {
  type BootstrapToken,
  bootstrapTokenFrom,
  type CreateBootstrapTokenOptions,
  createBootstrapToken,
} from './bootstrap-token.js';
export {
  type CaRotation,
  type CaRotationPhase,
  defaultCaRotationOverlapMs,
  type RotatableCaName,
  readCaRotation,
  rotatableCas,
} from './ca-rotation.js';
export type {
  CertifiedKey,
  ClusterPki,
  EtcdMemberCertificates,
  PkiCertificate,
  TrustBundles,
  WorkerBootstrap,
} from './cluster-pki.js';
export { type CreateClusterPkiOptions, createClusterPki } from './create-pki.js';
export { HakocError, type HakocErrorOptions, isHakocError } from './errors.js';
export { type CheckExpiryOptions, checkExpiry, type ExpiryRow } from './expiry.js';
export { type KeyStoreOptions, type KeyStoreResult, loadOrCreatePki } from './key-store.js';
export {
  type KubeconfigCredentials,
  type KubeconfigInput,
  kubeconfigServer,
  renderKubeconfig,
} from './kubeconfig.js';
export { kubeletServingCertificates } from './kubelet-serving.js';
export {
  defaultMachinePkiLayout,
  type MachineFile,
  type MachinePkiLayout,
  type MachineRole,
  machineFiles,
  signingCaFile,
} from './machine-files.js';
export type { CaId, CertificateKind, KubeconfigUser } from './profiles.js';
export type { PkiChange } from './reconcile.js';
export { type RenewLeavesOptions, renewLeaves } from './renew.js';
export {
  type ControlPlaneMachineRequest,
  type EtcdMemberRequest,
  type KeyAlgorithm,
  type PkiRequest,
  type PkiValidity,
  validatePkiRequest,
} from './request.js';
export {
  type CaRotationStepOptions,
  finishCaRotation,
  type StartCaRotationOptions,
  startCaRotation,
  switchCaRotation,
} from './rotate-ca.js';
export { Secret } from './secret.js';
export { storeLayout } from './store-layout.js';
export {
  bootstrapTokenGroup,
  bootstrapTokenSecretManifest,
  type KubernetesManifest,
  manifestsToYaml,
  tlsBootstrapRbacManifests,
} from './tls-bootstrap.js';
