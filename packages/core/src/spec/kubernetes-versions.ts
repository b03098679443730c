/**
 * Kubernetes minor releases hakoc sets up. Any patch release of these is accepted; 1.34 left
 * upstream support on 2026-10-27, so it is not.
 */
export const SUPPORTED_KUBERNETES_VERSIONS = ['1.35', '1.36', '1.37'] as const;

/**
 * The Kubernetes release a cluster gets when its spec names none: the newest patch whose
 * component image digests hakoc ships (`KNOWN_IMAGE_DIGESTS`), so the default renders with no
 * registry at hand. Newer patches (1.36.5, 1.37.1) work too; their digests are resolved from
 * the registry once and kept in the pins file.
 */
export const DEFAULT_KUBERNETES_VERSION = '1.36.2';

/** The minor release (`1.37`) of a full version (`1.37.1`), or undefined when it is not `X.Y.Z`. */
export function kubernetesMinor(version: string): string | undefined {
  const match = /^(\d+)\.(\d+)\.(\d+)$/.exec(version);
  return match === null ? undefined : `${match[1]}.${match[2]}`;
}

/** True when `version` is `X.Y.Z` of a minor in {@link SUPPORTED_KUBERNETES_VERSIONS}. */
export function isSupportedKubernetesVersion(version: string): boolean {
  const minor = kubernetesMinor(version);
  return SUPPORTED_KUBERNETES_VERSIONS.some((supported) => supported === minor);
}
