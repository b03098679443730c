import * as z from 'zod';
import { MAX_CLUSTER_NAME_LENGTH } from '../../model/names.js';
import { schemaFor } from './schema-for.js';

/** `metadata`: what the cluster is called. */
export interface ClusterMetadata {
  /**
   * The cluster name: lowercase letters, digits and hyphens, starting with a letter, at most
   * {@link MAX_CLUSTER_NAME_LENGTH} characters. Every cloud resource and label carries it.
   */
  name: string;
}

/** The schema of {@link ClusterMetadata}. */
export const metadataSchema = schemaFor<ClusterMetadata>()(
  z
    .strictObject({
      name: z
        .string()
        .describe(
          `The cluster name: lowercase letters, digits and hyphens, starting with a letter, at most ${MAX_CLUSTER_NAME_LENGTH} characters. Every cloud resource and label of the cluster carries it.`,
        ),
    })
    .describe('Identifies the cluster.'),
);
