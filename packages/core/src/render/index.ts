export {
  type ClusterBootConfig,
  clusterBootConfigs,
  type RenderedRole,
} from './cluster-configs.js';
export type { FetchLike, FetchLikeInit, FetchLikeResponse } from './fetch-like.js';
export {
  componentImagesFor,
  digestFor,
  type ImagePins,
  imageTagsOf,
} from './image-pins.js';
export {
  type ImageDigest,
  isImageDigest,
  parseTaggedImageReference,
  pinImageReference,
  type TaggedImageReference,
} from './image-reference.js';
export { KNOWN_IMAGE_DIGESTS, type KnownImageDigest } from './known-image-digests.js';
export {
  DEFAULT_SYSEXT_BASE_URL,
  type DownloadPin,
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
  MANIFEST_MEDIA_TYPES,
  type ResolveImageDigestOptions,
  resolveImageDigest,
} from './registry-digest.js';
export {
  type RenderedCluster,
  type RenderedConfig,
  type RenderManifest,
  type RenderOptions,
  renderCluster,
} from './render-cluster.js';
export { writeFilesUnder, writeRenderedCluster } from './write-rendered.js';
