import * as z from 'zod';
import {
  DEFAULT_KUBERNETES_VERSION,
  SUPPORTED_KUBERNETES_VERSIONS,
} from '../kubernetes-versions.js';
import { schemaFor } from './schema-for.js';

/** `spec.kubernetes`: which Kubernetes release runs and how it names services. */
export interface KubernetesSpec {
  /**
   * Kubernetes release as X.Y.Z, a patch release of one of {@link SUPPORTED_KUBERNETES_VERSIONS}.
   * @default DEFAULT_KUBERNETES_VERSION ('1.36.2')
   */
  version: string;
  /**
   * DNS suffix of in-cluster service names (`<svc>.<ns>.svc.<clusterDomain>`).
   * @default 'cluster.local'
   */
  clusterDomain: string;
}

/** The schema of {@link KubernetesSpec}. */
export const kubernetesSchema = schemaFor<KubernetesSpec>()(
  z
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
    .describe('The Kubernetes release and in-cluster DNS.'),
);
