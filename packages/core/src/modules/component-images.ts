import { HakocError } from '@hakoc/certs';

/**
 * An image reference pinned by digest, `repository:tag@sha256:<hex>`: containerd pulls the
 * manifest the digest names and verifies every layer against it, so a moved tag changes nothing.
 */
export type PinnedImageReference = `${string}@sha256:${string}`;

/**
 * Container images of the cluster's components, by role. Built as tag references by
 * {@link componentImageTags}; what modules receive are the same references pinned by digest
 * (see `componentImagesFor` in the render step).
 */
export interface ComponentImages<Reference extends string = string> {
  /** kube-apiserver, the Kubernetes version. */
  readonly kubeApiserver: Reference;
  /** kube-controller-manager, the Kubernetes version. */
  readonly kubeControllerManager: Reference;
  /** kube-scheduler, the Kubernetes version. */
  readonly kubeScheduler: Reference;
  /** kube-proxy, the Kubernetes version. */
  readonly kubeProxy: Reference;
  /** etcd, the release kubeadm pairs with the Kubernetes minor. */
  readonly etcd: Reference;
  /** CoreDNS, the release kubeadm pairs with the Kubernetes minor. */
  readonly coredns: Reference;
  /** flanneld. */
  readonly flannel: Reference;
  /** flannel's CNI plugin, copied onto each node. */
  readonly flannelCniPlugin: Reference;
  /** The pod sandbox image containerd runs, the one kubeadm pairs with the Kubernetes minor. */
  readonly pause: Reference;
}

/** The add-on releases that depend on the Kubernetes minor. */
interface MinorReleases {
  readonly etcd: string;
  readonly coredns: string;
  readonly pause: string;
}

/**
 * What kubeadm runs with each supported minor, from `kubeadm config images list` of its
 * releases (its `constants.go`: DefaultEtcdVersion / SupportedEtcdVersion, CoreDNSVersion,
 * PauseVersion):
 * - 1.35: v1.35.0 lists etcd 3.6.6-0, CoreDNS v1.13.1, pause 3.10.1; a kubeadm cluster at
 *   v1.35.8 still runs etcd 3.6.6-0.
 * - 1.36: v1.36.2, v1.36.3, v1.36.4 and v1.36.5 all list etcd 3.6.8-0, CoreDNS v1.14.2,
 *   pause 3.10.2 (etcd's own "bump etcd in Kubernetes" guide shows SupportedEtcdVersion 36 at
 *   3.6.8-0 before main moved to 3.6.9-0).
 * - 1.37: v1.37.1 lists etcd 3.7.0-0, CoreDNS v1.14.6, pause 3.10.2.
 */
const RELEASES_BY_MINOR: Readonly<Record<string, MinorReleases>> = {
  '1.35': { etcd: '3.6.6-0', coredns: 'v1.13.1', pause: '3.10.1' },
  '1.36': { etcd: '3.6.8-0', coredns: 'v1.14.2', pause: '3.10.2' },
  '1.37': { etcd: '3.7.0-0', coredns: 'v1.14.6', pause: '3.10.2' },
};

/**
 * flannel and its CNI plugin do not follow Kubernetes. The newest releases are v0.28.9 and
 * v1.9.1-flannel3 (autumn 2026), but their digests appear in one public source only; v0.28.1
 * and v1.9.0-flannel1 (February 2026, same VXLAN backend and CNI plugin interface) are the
 * newest whose digests two independent sources confirm, so a default render needs no registry.
 */
const FLANNEL = 'ghcr.io/flannel-io/flannel:v0.28.1';
const FLANNEL_CNI_PLUGIN = 'ghcr.io/flannel-io/flannel-cni-plugin:v1.9.0-flannel1';

/**
 * The tag references of the images a cluster running Kubernetes `version` (`X.Y.Z`) needs.
 *
 * @throws HakocError `HAKOC_RENDER_VERSION` for a version outside the supported minors.
 */
export function componentImageTags(version: string): ComponentImages {
  const minor = /^(\d+\.\d+)\.\d+$/.exec(version)?.[1];
  const releases = minor === undefined ? undefined : RELEASES_BY_MINOR[minor];
  if (releases === undefined) {
    throw new HakocError('HAKOC_RENDER_VERSION', `no component images for Kubernetes ${version}`, {
      hint: `use a patch release of ${Object.keys(RELEASES_BY_MINOR).join(', ')}`,
    });
  }
  const k8s = (name: string) => `registry.k8s.io/${name}:v${version}`;
  return {
    kubeApiserver: k8s('kube-apiserver'),
    kubeControllerManager: k8s('kube-controller-manager'),
    kubeScheduler: k8s('kube-scheduler'),
    kubeProxy: k8s('kube-proxy'),
    etcd: `registry.k8s.io/etcd:${releases.etcd}`,
    coredns: `registry.k8s.io/coredns/coredns:${releases.coredns}`,
    flannel: FLANNEL,
    flannelCniPlugin: FLANNEL_CNI_PLUGIN,
    pause: `registry.k8s.io/pause:${releases.pause}`,
  };
}
