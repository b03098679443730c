import * as z from 'zod';
import {
  DEFAULT_KUBERNETES_VERSION,
  SUPPORTED_KUBERNETES_VERSIONS,
} from '../kubernetes-versions.js';

/** `spec.kubernetes`: which Kubernetes release runs and how it names services. */
export const kubernetesSchema = z
  .strictObject({
    version: z
      .string()
      .default(DEFAULT_KUBERNETES_VERSION)
      .describe(
        `Kubernetes release as X.Y.Z, a patch release of ${SUPPORTED_KUBERNETES_VERSIONS.join(', ')}.`,
      ),
    clusterDomain: z
      .string()
      .default('cluster.local')
      .describe('DNS suffix of in-cluster service names (`<svc>.<ns>.svc.<clusterDomain>`).'),
  })
  .prefault({})
  .describe('The Kubernetes release and in-cluster DNS.');

/** The parsed `spec.kubernetes` section. */
export type KubernetesSpec = z.output<typeof kubernetesSchema>;
