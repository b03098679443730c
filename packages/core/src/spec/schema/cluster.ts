import * as z from 'zod';
import { type AccessSpec, accessSchema } from './access.js';
import { type ImageSpec, imageSchema } from './image.js';
import { defaultKeyStoreDir, type KeyStoreSpec, keyStoreSchema } from './key-store.js';
import { type KubernetesSpec, kubernetesSchema } from './kubernetes.js';
import {
  type ControlPlaneSpec,
  controlPlaneSchema,
  type EtcdSpec,
  type EtcdSpecInput,
  etcdSchema,
  type WorkersSpec,
  type WorkersSpecInput,
  workersSchema,
} from './machine-sets.js';
import { type ClusterMetadata, metadataSchema } from './metadata.js';
import { type NetworkSpec, networkSchema } from './network.js';
import { type PkiSpec, pkiSchema } from './pki.js';
import { type ProviderSpec, type ProviderSpecInput, providerSchema } from './provider.js';

/** The `apiVersion` every cluster document declares. */
export const CLUSTER_API_VERSION = 'hakoc.dev/v1alpha1';

/** The `spec` part of a parsed cluster document: every section, defaults filled in. */
export interface ClusterSpecBody {
  /** DNS domain of the cluster: the API is `api.<domain>`, etcd members `etcd-N.<domain>`. */
  domain: string;
  /** Where the cluster runs. */
  provider: ProviderSpec;
  /** Kubernetes release and in-cluster DNS. */
  kubernetes: KubernetesSpec;
  /** Operating system image. */
  image: ImageSpec;
  /** Firewall source ranges. */
  access: AccessSpec;
  /** Certificate settings. */
  pki: PkiSpec;
  /** The encrypted store of private keys. */
  keyStore: KeyStoreSpec;
  /** The etcd members. */
  etcd: EtcdSpec;
  /** The control-plane machines. */
  controlPlane: ControlPlaneSpec;
  /** The worker pool. */
  workers: WorkersSpec;
  /** Address ranges. */
  network: NetworkSpec;
}

/** A parsed cluster spec: what `parseClusterSpec` returns, with every default filled in. */
export interface ClusterSpec {
  /** Always {@link CLUSTER_API_VERSION}. */
  apiVersion: typeof CLUSTER_API_VERSION;
  /** Always `Cluster`. */
  kind: 'Cluster';
  /** The cluster's name. */
  metadata: ClusterMetadata;
  /** What the cluster looks like. */
  spec: ClusterSpecBody;
}

/** The `spec` part of a cluster document as written: sections with defaults may be left out. */
export interface ClusterSpecBodyInput {
  /** {@inheritDoc ClusterSpecBody.domain} */
  domain: string;
  /** {@inheritDoc ClusterSpecBody.provider} */
  provider: ProviderSpecInput;
  /** {@inheritDoc ClusterSpecBody.kubernetes} */
  kubernetes?: Partial<KubernetesSpec>;
  /** {@inheritDoc ClusterSpecBody.image} */
  image?: Partial<ImageSpec>;
  /** {@inheritDoc ClusterSpecBody.access} */
  access?: Partial<AccessSpec>;
  /** {@inheritDoc ClusterSpecBody.pki} */
  pki?: Partial<PkiSpec>;
  /** {@inheritDoc ClusterSpecBody.keyStore} */
  keyStore?: Partial<KeyStoreSpec>;
  /** {@inheritDoc ClusterSpecBody.etcd} */
  etcd?: EtcdSpecInput;
  /** {@inheritDoc ClusterSpecBody.controlPlane} */
  controlPlane?: Partial<ControlPlaneSpec>;
  /** {@inheritDoc ClusterSpecBody.workers} */
  workers: WorkersSpecInput;
  /** {@inheritDoc ClusterSpecBody.network} */
  network?: Partial<NetworkSpec>;
}

/** A cluster spec as users write it (in TypeScript; YAML and JSON follow the same shape). */
export interface ClusterSpecInput {
  /** Always {@link CLUSTER_API_VERSION}. */
  apiVersion: typeof CLUSTER_API_VERSION;
  /** Always `Cluster`. */
  kind: 'Cluster';
  /** The cluster's name. */
  metadata: ClusterMetadata;
  /** What the cluster looks like. */
  spec: ClusterSpecBodyInput;
}

/**
 * The sections of `spec`. Each is parsed on its own as well as within the whole document, so a
 * type error in one section never stops the semantic rules from checking the others.
 */
export const specSectionSchemas = {
  domain: z
    .string()
    .describe('DNS domain of the cluster: the API is api.<domain>, etcd members etcd-N.<domain>.'),
  provider: providerSchema,
  kubernetes: kubernetesSchema,
  image: imageSchema,
  access: accessSchema,
  pki: pkiSchema,
  keyStore: keyStoreSchema,
  etcd: etcdSchema,
  controlPlane: controlPlaneSchema,
  workers: workersSchema,
  network: networkSchema,
};

/** The whole cluster document as users write it; the source of the JSON Schema. */
export const clusterDocumentSchema = z
  .strictObject({
    apiVersion: z.literal(CLUSTER_API_VERSION).describe('Version of the cluster document format.'),
    kind: z.literal('Cluster').describe('Kind of document.'),
    metadata: metadataSchema,
    spec: z.strictObject(specSectionSchemas).describe('What the cluster looks like.'),
  })
  .describe('A highly available Kubernetes cluster on Container Linux, described for hakoc.');

/** The whole cluster document, parsed: every default filled in, the key store dir included. */
export const clusterSpecSchema: z.ZodType<ClusterSpec> = clusterDocumentSchema.transform(
  (document) => ({
    ...document,
    spec: {
      ...document.spec,
      keyStore: {
        ...document.spec.keyStore,
        dir: document.spec.keyStore.dir ?? defaultKeyStoreDir(document.metadata.name),
      },
    },
  }),
);

/** The parsed value of every section, keyed by name; `metadata` included. */
export type SpecSections = {
  [K in keyof typeof specSectionSchemas]: z.output<(typeof specSectionSchemas)[K]>;
} & {
  metadata: ClusterMetadata;
};
