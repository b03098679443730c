import type { GceOutputs } from '@hakoc/provider-gce';
import type { VagrantOutputs } from '@hakoc/provider-vagrant';

/** What an apply reports, from whichever provider the spec names. */
export type ClusterOutputs = GceOutputs | VagrantOutputs;

/** Where the Kubernetes API answers, as far as the cloud knows it yet. */
export interface ApiEndpoint {
  /** The URL clients use; undefined on Vagrant until the load balancer exists. */
  readonly url: string | undefined;
  /** The address behind it, once there is one. */
  readonly address: string | undefined;
}

/**
 * The API endpoint of either provider's outputs: on GCE the DNS name and the load balancer's
 * address; on Vagrant the load-balancer VM's private address (no DNS serves the laptop).
 */
export function apiEndpointOf(outputs: ClusterOutputs): ApiEndpoint {
  if ('apiUrl' in outputs) return { url: outputs.apiUrl, address: outputs.apiAddress };
  const balancer = outputs.machines.find((machine) => machine.role === 'loadBalancer');
  return { url: outputs.apiServerUrl, address: balancer?.ip };
}
