import * as z from 'zod';

/** `spec.provider.gce`: where on Google Compute Engine the cluster runs. */
export const gceSchema = z
  .strictObject({
    project: z
      .string()
      .describe(
        'GCP project ID: 6 to 30 lowercase letters, digits and hyphens, starting with a letter.',
      ),
    region: z.string().describe('Compute Engine region, for example europe-west1.'),
    zones: z
      .array(z.string())
      .min(1)
      .describe(
        'Zones of the region to spread machines over, for example europe-west1-b. Three give etcd and the control plane zone-level fault tolerance.',
      ),
    dnsZone: z
      .string()
      .describe(
        'Name of the Cloud DNS managed zone that holds `domain`; api and etcd records go there.',
      ),
    credentialsFile: z
      .string()
      .min(1)
      .optional()
      .describe('Service-account key file. When absent, Application Default Credentials are used.'),
    internalLoadBalancer: z
      .boolean()
      .default(false)
      .describe(
        'Put the API server behind an internal load balancer, reachable only from the VPC.',
      ),
  })
  .describe('Run the cluster on Google Compute Engine.');

/** The parsed `spec.provider.gce` section. */
export type GceSpec = z.output<typeof gceSchema>;
