import * as z from 'zod';
import { MAX_CLUSTER_NAME_LENGTH } from '../../model/names.js';

/** `metadata`: what the cluster is called. */
export const metadataSchema = z
  .strictObject({
    name: z
      .string()
      .describe(
        `The cluster name: lowercase letters, digits and hyphens, starting with a letter, at most ${MAX_CLUSTER_NAME_LENGTH} characters. Every cloud resource and label of the cluster carries it.`,
      ),
  })
  .describe('Identifies the cluster.');

/** The parsed `metadata` section. */
export type ClusterMetadata = z.output<typeof metadataSchema>;
