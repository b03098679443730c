/**
 * `@hakoc/provider-gce`: the hakoc provider for Google Compute Engine and Cloud DNS. Importing it
 * loads no Google library; the compute v1 clients it uses load on its first call.
 *
 * @packageDocumentation
 */

export type { GceBackendHealth, GceZoneHealth } from './backend-health.js';
export {
  BOOT_CONFIG_MISSING_CODE,
  bootConfigsFromRendered,
  type GceBootConfigs,
} from './boot-configs.js';
export {
  desiredResources,
  ETCD_DATA_DISK_GB,
  type GceInput,
  HEALTH_CHECK_RANGES,
  KUBE_PROXY_HEALTH_PORT,
} from './desired.js';
export { etcdMemberIp } from './etcd-addresses.js';
export { GCE_PROVIDER_NAME } from './gce-errors.js';
export type { GceState } from './gce-resource-type.js';
export { lockRecordName } from './lock-store.js';
export type { GceGroupMachines, GceMachine } from './machines.js';
export type { GceEtcdMemberOutput, GceGroupOutput, GceOutputs } from './outputs.js';
export {
  GCE_ENDPOINT_ENV,
  GCE_REQUESTS_PER_SECOND_ENV,
  type GceProvider,
  type GceProviderOptions,
  gce,
} from './provider.js';
export { ADDRESS_TYPE, type AddressFields, type AddressSpec } from './resources/address.js';
export { AUTOSCALER_TYPE, type AutoscalerSpec } from './resources/autoscaler.js';
export { BACKEND_SERVICE_TYPE, type BackendServiceSpec } from './resources/backend-service.js';
export { DISK_PURPOSE_LABEL, DISK_TYPE, type DiskSpec } from './resources/disk.js';
export {
  DNS_RECORD_TYPE,
  type DnsRecordFields,
  type DnsRecordSpec,
  type DnsRecordState,
} from './resources/dns-record.js';
export {
  ETCD_DATA_DEVICE,
  ETCD_MEMBER_TYPE,
  type EtcdMemberFields,
  type EtcdMemberSpec,
  type EtcdMemberState,
  USER_DATA_KEY,
} from './resources/etcd-member.js';
export { FIREWALL_TYPE, type FirewallAllow, type FirewallSpec } from './resources/firewall.js';
export { FORWARDING_RULE_TYPE, type ForwardingRuleSpec } from './resources/forwarding-rule.js';
export { HEALTH_CHECK_TYPE, type HealthCheckSpec } from './resources/health-check.js';
export {
  INSTANCE_GROUP_TYPE,
  type InstanceGroupSpec,
  type NamedPort,
} from './resources/instance-group.js';
export {
  INSTANCE_TEMPLATE_TYPE,
  type InstanceTemplateSpec,
  templateHash,
} from './resources/instance-template.js';
export { NETWORK_TYPE, type NetworkSpec } from './resources/network.js';
export { SUBNETWORK_TYPE, type SubnetworkSpec } from './resources/subnetwork.js';
