import * as z from 'zod';
import { accessSchema } from './access.js';
import { imageSchema } from './image.js';
import { defaultKeyStoreDir, keyStoreSchema } from './key-store.js';
import { kubernetesSchema } from './kubernetes.js';
import { controlPlaneSchema, etcdSchema, workersSchema } from './machine-sets.js';
import { metadataSchema } from './metadata.js';
import { networkSchema } from './network.js';
import { pkiSchema } from './pki.js';
import { providerSchema } from './provider.js';

/** The `apiVersion` every cluster document declares. */
export const CLUSTER_API_VERSION = 'hakoc.dev/v1alpha1';

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
export const clusterSpecSchema = clusterDocumentSchema.transform((document) => ({
  ...document,
  spec: {
    ...document.spec,
    keyStore: {
      ...document.spec.keyStore,
      dir: document.spec.keyStore.dir ?? defaultKeyStoreDir(document.metadata.name),
    },
  },
}));

/** A parsed cluster spec: what `parseClusterSpec` returns, with every default filled in. */
export type ClusterSpec = z.output<typeof clusterSpecSchema>;

/** The parsed `spec.keyStore` section, its directory filled in. */
export type KeyStoreSpec = ClusterSpec['spec']['keyStore'];

/** A cluster spec as users write it: optional fields may be left out. */
export type ClusterSpecInput = z.input<typeof clusterSpecSchema>;

/** The name of one section of `spec`. */
export type SpecSectionName = keyof typeof specSectionSchemas;

/** The parsed value of every section, keyed by name; `metadata` included. */
export type SpecSections = { [K in SpecSectionName]: z.output<(typeof specSectionSchemas)[K]> } & {
  metadata: z.output<typeof metadataSchema>;
};
