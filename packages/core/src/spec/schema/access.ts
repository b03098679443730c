import * as z from 'zod';
import { schemaFor } from './schema-for.js';

/** `spec.access`: who may reach the cluster from outside. */
export interface AccessSpec {
  /**
   * IPv4 CIDRs allowed to reach the Kubernetes API on port 6443.
   * @default ['0.0.0.0/0']
   */
  apiSourceRanges: string[];
  /**
   * IPv4 CIDRs allowed to reach the machines over SSH.
   * @default [] (no SSH at all)
   */
  sshSourceRanges: string[];
}

/** The schema of {@link AccessSpec}. */
export const accessSchema = schemaFor<AccessSpec>()(
  z
    .strictObject({
      apiSourceRanges: z
        .array(z.string())
        .default(['0.0.0.0/0'])
        .describe('IPv4 CIDRs allowed to reach the Kubernetes API on port 6443.'),
      sshSourceRanges: z
        .array(z.string())
        .default([])
        .describe('IPv4 CIDRs allowed to reach the machines over SSH; empty means no SSH at all.'),
    })
    .prefault({})
    .describe('Source ranges allowed through the firewall.'),
);
