export {
  type ClusterBootConfig,
  clusterBootConfigs,
  type RenderedRole,
} from './cluster-configs.js';
export {
  DEFAULT_SYSEXT_BASE_URL,
  type DownloadPin,
  type FetchLike,
  kubernetesBinariesFor,
  type LoadOrResolvePinsOptions,
  loadOrResolvePins,
  type PinsFile,
  pinsFileFor,
  readPins,
  resolveSysextPin,
  sysextReleaseUrl,
} from './pins.js';
export {
  type RenderedCluster,
  type RenderedConfig,
  type RenderManifest,
  type RenderOptions,
  renderCluster,
} from './render-cluster.js';
export { writeFilesUnder, writeRenderedCluster } from './write-rendered.js';
