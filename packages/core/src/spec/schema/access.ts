import * as z from 'zod';

/** `spec.access`: who may reach the cluster from outside. */
export const accessSchema = z
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
  .describe('Source ranges allowed through the firewall.');

/** The parsed `spec.access` section. */
export type AccessSpec = z.output<typeof accessSchema>;
