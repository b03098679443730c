import { HakocError } from '@hakoc/certs';

/**
 * Container images of the cluster's components. Kubernetes' own images follow the cluster
 * version; the others are pinned here, to the releases kubeadm and Typhoon pair with the
 * supported Kubernetes minors. Images are referenced by tag: containerd verifies every layer
 * against the manifest's digests, and the registries are the projects' own.
 */
export interface ComponentImages {
  /** kube-apiserver, the Kubernetes version. */
  readonly kubeApiserver: string;
  /** kube-controller-manager, the Kubernetes version. */
  readonly kubeControllerManager: string;
  /** kube-scheduler, the Kubernetes version. */
  readonly kubeScheduler: string;
  /** kube-proxy, the Kubernetes version. */
  readonly kubeProxy: string;
  /** etcd, the release kubeadm pairs with the Kubernetes minor. */
  readonly etcd: string;
  /** CoreDNS. */
  readonly coredns: string;
  /** flanneld. */
  readonly flannel: string;
  /** flannel's CNI plugin, copied onto each node. */
  readonly flannelCniPlugin: string;
  /** The pod sandbox image containerd runs. */
  readonly pause: string;
}

/** The etcd release kubeadm pairs with each supported Kubernetes minor. */
const ETCD_BY_MINOR: Readonly<Record<string, string>> = {
  '1.35': '3.6.5-0',
  '1.36': '3.6.5-0',
  '1.37': '3.7.0-0',
};

/** The images of a cluster running Kubernetes `version` (`X.Y.Z`). */
export function componentImages(version: string): ComponentImages {
  const minor = /^(\d+\.\d+)\.\d+$/.exec(version)?.[1];
  const etcd = minor === undefined ? undefined : ETCD_BY_MINOR[minor];
  if (etcd === undefined) {
    throw new HakocError('HAKOC_RENDER_VERSION', `no component images for Kubernetes ${version}`, {
      hint: `use a patch release of ${Object.keys(ETCD_BY_MINOR).join(', ')}`,
    });
  }
  const k8s = (name: string) => `registry.k8s.io/${name}:v${version}`;
  return {
    kubeApiserver: k8s('kube-apiserver'),
    kubeControllerManager: k8s('kube-controller-manager'),
    kubeScheduler: k8s('kube-scheduler'),
    kubeProxy: k8s('kube-proxy'),
    etcd: `registry.k8s.io/etcd:${etcd}`,
    coredns: 'registry.k8s.io/coredns/coredns:v1.13.1',
    flannel: 'ghcr.io/flannel-io/flannel:v0.28.0',
    flannelCniPlugin: 'ghcr.io/flannel-io/flannel-cni-plugin:v1.8.0-flannel1',
    pause: 'registry.k8s.io/pause:3.10.1',
  };
}
