import {
  isSupportedKubernetesVersion,
  kubernetesMinor,
  SUPPORTED_KUBERNETES_VERSIONS,
} from '../kubernetes-versions.js';
import { checkDomain } from './names.js';
import { error, rule } from './rule.js';

/** The Kubernetes version must be a full release of a supported minor. */
export const kubernetesVersion = rule(['kubernetes'], ({ kubernetes }) => {
  const { version } = kubernetes;
  if (isSupportedKubernetesVersion(version)) return [];
  const path = ['spec', 'kubernetes', 'version'];
  const supported = SUPPORTED_KUBERNETES_VERSIONS.join(', ');
  const withoutV = version.replace(/^v/, '');
  if (kubernetesMinor(version) === undefined) {
    return [
      error(
        'kubernetes.versionFormat',
        path,
        `"${version}" is not a Kubernetes release number`,
        withoutV !== version && kubernetesMinor(withoutV) !== undefined
          ? `write it without the "v": "${withoutV}"`
          : `write X.Y.Z, a patch release of ${supported}`,
      ),
    ];
  }
  return [
    error(
      'kubernetes.unsupportedVersion',
      path,
      `Kubernetes ${version} is not supported`,
      `supported releases: ${supported} (any patch release)`,
    ),
  ];
});

/** The in-cluster DNS suffix must be a valid domain; one label is allowed there. */
export const kubernetesClusterDomain = rule(['kubernetes'], ({ kubernetes }) =>
  checkDomain(kubernetes.clusterDomain, ['spec', 'kubernetes', 'clusterDomain'], 1, 253),
);
