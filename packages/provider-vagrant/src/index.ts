/**
 * `@hakoc/provider-vagrant`: the HA cluster on a laptop. A static Vagrantfile that reads a
 * generated machine list, per-role sizing with a host-memory check, the HAProxy configuration
 * of the API load balancer, and a typed wrapper over `vagrant --machine-readable`.
 *
 * @packageDocumentation
 */

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
  errorExits,
  type ParsedMachineReadable,
  parseMachineReadable,
  parseMachineReadableLine,
  unescapeMachineReadable,
  type VagrantErrorExit,
  type VagrantRecord,
} from './machine-readable.js';
export {
  machineStatuses,
  type VagrantMachineState,
  type VagrantMachineStatus,
} from './machine-status.js';
export {
  MACHINES_SCHEMA_VERSION,
  type MachinesDocument,
  type MachinesDocumentMachine,
  machinesDocument,
  renderMachinesJson,
} from './machines-json.js';
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
export {
  createVagrantCli,
  DEFAULT_VAGRANT_TIMEOUTS_MS,
  MACHINE_NAME_INVALID_CODE,
  type VagrantCli,
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
