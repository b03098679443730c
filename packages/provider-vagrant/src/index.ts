/**
 * `@hakoc/provider-vagrant`: the HA cluster on a laptop. The `vagrant()` provider for the
 * engine (machines and the load balancer as resources), the layout of a cluster model on
 * Vagrant, a static Vagrantfile that reads a generated machine list, per-role sizing with a
 * host-memory check, the HAProxy load balancer's configuration and boot configuration, and a
 * typed wrapper over `vagrant --machine-readable`.
 *
 * @packageDocumentation
 */

export {
  desiredResources,
  USER_DATA_MISSING_CODE,
  type VagrantDesired,
  type VagrantDesiredOptions,
  type VagrantProviderInput,
} from './desired.js';
export {
  DEFAULT_HEALTH_CHECK_TIMING,
  HAPROXY_INPUT_INVALID_CODE,
  type HaproxyApiServer,
  type HaproxyHealthCheckTiming,
  type HaproxyMonitorEndpoint,
  type HaproxyOptions,
  renderHaproxyConfig,
} from './haproxy-config.js';
export { checkHostMemory, type HostMemoryOptions, MEMORY_OVERCOMMIT_CODE } from './host-memory.js';
export type {
  VagrantAddress,
  VagrantApiServer,
  VagrantClusterLayout,
  VagrantMachine,
  VagrantRole,
} from './layout.js';
export {
  assertValidLayout,
  isProjectFileName,
  LAYOUT_INVALID_CODE,
  layoutProblems,
  RESERVED_FILE_NAMES,
} from './layout-check.js';
export {
  type EtcdPlacement,
  layoutFromModel,
  loadBalancerName,
  userDataFileName,
  type VagrantLayoutOptions,
} from './layout-from-model.js';
export {
  DEFAULT_HAPROXY_IMAGE,
  HAPROXY_CONFIG_PATH,
  HAPROXY_UNIT_NAME,
  type LoadBalancerOptions,
  loadBalancerBootConfig,
  renderLoadBalancerUserData,
} from './load-balancer-config.js';
export { createLockFileStore } from './lock-file.js';
export {
  errorExits,
  type ParsedMachineReadable,
  parseMachineReadable,
  parseMachineReadableLine,
  unescapeMachineReadable,
  type VagrantErrorExit,
  type VagrantRecord,
} from './machine-readable.js';
export {
  VAGRANT_MACHINE_TYPE,
  type VagrantMachineResourceState,
  type VagrantMachineSpec,
} from './machine-resource.js';
export {
  machineStatuses,
  type VagrantMachineState,
  type VagrantMachineStatus,
} from './machine-status.js';
export {
  documentMachine,
  hostsLines,
  MACHINES_SCHEMA_VERSION,
  type MachinesDocument,
  type MachinesDocumentMachine,
  machinesDocument,
  netmaskOf,
  renderMachinesJson,
  serializeMachinesDocument,
} from './machines-json.js';
export {
  CLOUD_CONFIG_CONFLICT_CODE,
  mergeCloudConfigs,
  type NamedCloudConfig,
} from './merge-cloud-configs.js';
export { checkVagrantHost, type VagrantHostCheck } from './preflight.js';
export {
  VAGRANT_PROJECT_TYPE,
  type VagrantProjectSpec,
  type VagrantProjectState,
} from './project-resource.js';
export { PROJECT_FILES } from './project-store.js';
export {
  type VagrantMachineOutput,
  type VagrantOutputs,
  type VagrantProvider,
  type VagrantProviderOptions,
  vagrant,
} from './provider.js';
export { type FailedCall, toProviderError, VAGRANT_PROVIDER_NAME } from './provider-error.js';
export { DEFAULT_VAGRANT_READINESS, type VagrantReadiness } from './readiness.js';
export { renderVagrantProject } from './render-project.js';
export {
  DEFAULT_MACHINE_RESOURCES,
  type MachineResourceOverrides,
  type MachineResources,
  machineResources,
} from './resources.js';
export {
  runVagrant,
  type VagrantProcessOptions,
  type VagrantProgress,
  type VagrantRunOptions,
  type VagrantRunResult,
} from './run-vagrant.js';
export { type RenderedCloudConfigs, userDataFromRendered } from './user-data-from-render.js';
export {
  createVagrantCli,
  DEFAULT_VAGRANT_TIMEOUTS_MS,
  MACHINE_NAME_INVALID_CODE,
  type VagrantCli,
  type VagrantSshResult,
  type VagrantTimeouts,
  type VagrantUpOptions,
  type VagrantValidateOptions,
} from './vagrant-cli.js';
export {
  isVagrantError,
  VAGRANT_ERROR_CODES,
  VagrantError,
  type VagrantErrorDetails,
  type VagrantFailure,
} from './vagrant-error.js';
export { readVagrantfileTemplate, VAGRANTFILE_TEMPLATE_URL } from './vagrantfile-template.js';
export type { VagrantWarning } from './warning.js';
export {
  type VagrantProjectFiles,
  type VagrantProjectPaths,
  writeVagrantProject,
} from './write-project.js';
