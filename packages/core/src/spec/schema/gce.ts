import * as z from 'zod';
import { schemaFor } from './schema-for.js';

/** `spec.provider.gce`: where on Google Compute Engine the cluster runs. */
export interface GceSpec {
  /** GCP project ID: 6 to 30 lowercase letters, digits and hyphens, starting with a letter. */
  project: string;
  /** Compute Engine region, for example `europe-west1`. */
  region: string;
  /** Zones of the region to spread machines over (at least one), for example `europe-west1-b`. */
  zones: string[];
  /** Name of the Cloud DNS managed zone that holds the cluster domain. */
  dnsZone: string;
  /**
   * Service-account key file.
   * @default undefined (Application Default Credentials)
   */
  credentialsFile?: string;
  /**
   * Put the API server behind an internal load balancer, reachable only from the VPC.
   * @default false
   */
  internalLoadBalancer: boolean;
}

/** The schema of {@link GceSpec}. */
export const gceSchema = schemaFor<GceSpec>()(
  z
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
        .exactOptional()
        .describe(
          'Service-account key file. When absent, Application Default Credentials are used.',
        ),
      internalLoadBalancer: z
        .boolean()
        .default(false)
        .describe(
          'Put the API server behind an internal load balancer, reachable only from the VPC.',
        ),
    })
    .describe('Run the cluster on Google Compute Engine.'),
);
