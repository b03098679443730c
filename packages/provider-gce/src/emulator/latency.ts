/**
 * How long each kind of operation takes before it is `DONE`, in milliseconds at scale 1.
 *
 * The values are typical durations of real GCE operations, not worst cases: they come from
 * Google's documentation where it gives one (a VM "usually starts in tens of seconds", a custom
 * VPC or firewall change "takes a few seconds to minutes"), from timings commonly printed by
 * `gcloud --verbosity=info` and `terraform apply` logs, and from the relative order GCE users
 * see (addresses and templates are quick, networks and load-balancer pieces are slow, deleting
 * a VM waits for its shutdown). They are approximations to make ordering and waiting realistic,
 * not measurements. Terraform's google provider defaults (4–20 min timeouts) are upper bounds and
 * are not used here.
 *
 * The emulator multiplies every value by its `latencyScale` (0.01 by default, so a VM insert
 * takes 150 ms in tests; pass 1 for real-time behaviour).
 */
export const OPERATION_LATENCY_MS: Readonly<Record<string, number>> = {
  'networks.insert': 12_000,
  'networks.delete': 12_000,
  'subnetworks.insert': 10_000,
  'subnetworks.delete': 10_000,
  'subnetworks.patch': 5_000,
  'firewalls.insert': 6_000,
  'firewalls.delete': 6_000,
  'firewalls.patch': 6_000,
  'firewalls.update': 6_000,
  'addresses.insert': 2_500,
  'addresses.delete': 2_500,
  'globalAddresses.insert': 3_000,
  'globalAddresses.delete': 3_000,
  'instanceTemplates.insert': 2_000,
  'instanceTemplates.delete': 2_000,
  'instances.insert': 15_000,
  'instances.delete': 40_000,
  'instances.setLabels': 1_500,
  'disks.insert': 3_000,
  'disks.delete': 3_000,
  'instanceGroupManagers.insert': 3_000,
  'instanceGroupManagers.delete': 3_000,
  'instanceGroupManagers.resize': 1_500,
  'instanceGroupManagers.patch': 1_500,
  'instanceGroupManagers.setInstanceTemplate': 1_500,
  'instanceGroupManagers.updatePerInstanceConfigs': 1_500,
  'instanceGroupManagers.deletePerInstanceConfigs': 1_500,
  'instanceGroupManagers.deleteInstances': 1_500,
  'instanceGroupManagers.recreateInstances': 1_500,
  'autoscalers.insert': 4_000,
  'autoscalers.delete': 3_000,
  'autoscalers.patch': 3_000,
  'autoscalers.update': 3_000,
  'healthChecks.insert': 5_000,
  'healthChecks.delete': 5_000,
  'healthChecks.patch': 5_000,
  'healthChecks.update': 5_000,
  'backendServices.insert': 12_000,
  'backendServices.delete': 10_000,
  'backendServices.patch': 10_000,
  'backendServices.update': 10_000,
  'forwardingRules.insert': 15_000,
  'forwardingRules.delete': 12_000,
  'forwardingRules.setLabels': 2_000,
  'targetPools.insert': 6_000,
  'targetPools.delete': 6_000,
  'dns.changes': 4_000,
};

/** Latency of any operation type not in the table. */
export const DEFAULT_OPERATION_LATENCY_MS = 3_000;

/** The scaled latency of an operation such as `instances.insert`. */
export function operationLatencyMs(key: string, scale: number): number {
  const base = OPERATION_LATENCY_MS[key] ?? DEFAULT_OPERATION_LATENCY_MS;
  return Math.max(0, Math.round(base * scale));
}
