import type { ClusterPki } from '@hakoc/certs';
import type { BootConfigPart } from '../boot/index.js';
import type { ClusterModel, MachineSet } from '../model/index.js';
import type { ComponentImages, PinnedImageReference } from './component-images.js';
import type { KubernetesBinaries } from './kubernetes-binaries.js';

/**
 * What modules need besides the model: the PKI, where Kubernetes binaries come from and the
 * component images, pinned by digest.
 */
export interface ModuleArtifacts {
  /** The cluster PKI; each module takes only what its role needs from it. */
  readonly pki: ClusterPki;
  /** Pre-built image or pinned, verified sysext download. */
  readonly binaries: KubernetesBinaries;
  /** Every container image the cluster runs, pinned by digest. */
  readonly images: ComponentImages<PinnedImageReference>;
}

/**
 * One provisioning concern (etcd member, kubelet, flannel, …) as a pure function of the model,
 * the machine set it is rendered for and the artifacts. etcd members are rendered one by one,
 * as one-machine sets, because each has an identity (name, certificates) of its own.
 */
export type BootModule = (
  model: ClusterModel,
  machineSet: MachineSet,
  artifacts: ModuleArtifacts,
) => BootConfigPart;

/** A module with the name conflicts are reported under. */
export interface NamedBootModule {
  /** Short name, e.g. `etcd-member`. */
  readonly name: string;
  /** The module itself. */
  readonly module: BootModule;
}
