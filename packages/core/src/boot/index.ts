export type {
  BootConfig,
  BootConfigPart,
  BootFile,
  BootRemoteFile,
  BootUnit,
  BootUnitDropin,
} from './boot-config.js';
export { parseCloudConfig, renderCloudConfig } from './cloud-config.js';
export { composeBootConfig, type NamedBootConfigPart } from './compose.js';
export { IGNITION_SPEC_VERSION, parseIgnition, renderIgnition } from './ignition.js';
export { remoteFileUnitName } from './remote-file-unit.js';
export { assertFitsChannel, GCE_METADATA_VALUE_LIMIT_BYTES } from './size-limits.js';
