import * as z from 'zod';
import { schemaFor } from './schema-for.js';

/** Prefix length of the pod subnet each node gets out of `podCidr` (flannel's `SubnetLen`). */
export const POD_SUBNET_PREFIX_LENGTH = 24;

/** `spec.network`: the address ranges of the cluster, IPv4 only for now. They must not overlap. */
export interface NetworkSpec {
  /**
   * IPv4 CIDR of the subnet the machines live in (GCE; Vagrant uses its own network).
   * @default '10.240.0.0/20'
   */
  nodeCidr: string;
  /**
   * IPv4 CIDR pods take addresses from; every node gets a /{@link POD_SUBNET_PREFIX_LENGTH} of it.
   * @default '10.2.0.0/16'
   */
  podCidr: string;
  /**
   * IPv4 CIDR of service cluster IPs. Its first address is the API service, its tenth the
   * cluster DNS.
   * @default '10.3.0.0/16'
   */
  serviceCidr: string;
}

/** The schema of {@link NetworkSpec}. */
export const networkSchema = schemaFor<NetworkSpec>()(
  z
    .strictObject({
      nodeCidr: z
        .string()
        .default('10.240.0.0/20')
        .describe(
          'IPv4 CIDR of the subnet the machines live in (GCE; Vagrant uses its own network).',
        ),
      podCidr: z
        .string()
        .default('10.2.0.0/16')
        .describe(
          `IPv4 CIDR pods take addresses from; every node gets a /${POD_SUBNET_PREFIX_LENGTH} of it.`,
        ),
      serviceCidr: z
        .string()
        .default('10.3.0.0/16')
        .describe(
          'IPv4 CIDR of service cluster IPs. Its first address is the API service, its tenth the cluster DNS.',
        ),
    })
    .prefault({})
    .describe('Address ranges of machines, pods and services. They must not overlap.'),
);
