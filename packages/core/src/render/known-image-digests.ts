import type { ImageDigest } from './image-reference.js';

/** A digest hakoc ships, with the public places it was read from. */
export interface KnownImageDigest {
  /** The manifest (list / index) digest the tag pointed to. */
  readonly digest: ImageDigest;
  /** Independent public sources that state this digest for this tag (two at least). */
  readonly sources: readonly string[];
  /**
   * Set, with the reason, on the rare entry only one public source states, because the default
   * render depends on it. Every other entry has two sources or more.
   */
  readonly singleSource?: string;
}

// Source names, spelled once. Each states digests it read from the registry itself.
const HOMELAB = 'github.com/randomcoww/homelab (Renovate-managed container_images)';
const INTAR =
  'github.com/intar-dev/intar-dev workshops/platform-engineering (create-cluster.sh, images.lock)';
const KYVERNETRIA = 'kyvernetria hack/build.sh (pinned_digest)';
const BOXP = 'BOXP-194 package check: crictl inspecti repoDigests of kubeadm 1.36.5 images';
const CILIUM = 'Cilium CLI connectivity-test defaults (Renovate-managed)';
const FLANNEL_TRANSCRIPT =
  'a kubeadm cluster transcript: kubectl describe pod kube-flannel-ds (Image ID)';

/**
 * Digests confirmed in public sources independent of each other, by tag reference. They are
 * consulted before the pins file and before any registry, so the default version renders with
 * no network at all. Tags not listed here are resolved from their registry on the operator's
 * machine (see `resolveImageDigest`) and kept in the pins file.
 */
export const KNOWN_IMAGE_DIGESTS: Readonly<Record<string, KnownImageDigest>> = {
  'registry.k8s.io/kube-apiserver:v1.36.2': {
    digest: 'sha256:0535dde1a857029209d7effe681c919a1580d2eb24eda4bd122d24e9a372e1b8',
    sources: [HOMELAB, INTAR],
  },
  'registry.k8s.io/kube-controller-manager:v1.36.2': {
    digest: 'sha256:b3add29a00c3c4763c75a09ec94915e3d0d590b93b3850a97d52970fbd2b2c12',
    sources: [HOMELAB, INTAR],
  },
  'registry.k8s.io/kube-scheduler:v1.36.2': {
    digest: 'sha256:94dfc9f285718a06bb873947959b8514ed95dddaa7c74d765cc346fdfa684859',
    sources: [HOMELAB, INTAR],
  },
  'registry.k8s.io/kube-proxy:v1.36.2': {
    digest: 'sha256:620a27c742eb5ebf5be8613b7458b7ce7cd31e2804b61b98f6516e328002c4cc',
    sources: [HOMELAB],
    singleSource:
      'no 1.36 or 1.37 patch has all four Kubernetes images confirmed twice in public, and 1.36.2 misses only this one. The digest is stable across five revisions of its source, and one under registry.k8s.io/kube-proxy can only select an image the Kubernetes release process published there',
  },
  'registry.k8s.io/kube-apiserver:v1.37.0': {
    digest: 'sha256:d1045e5c6d2f016797d22143eba7502e1bb712a4681836a7c35763a9c192dd70',
    sources: [HOMELAB, KYVERNETRIA],
  },
  'registry.k8s.io/kube-controller-manager:v1.37.0': {
    digest: 'sha256:997c997924eb8574f63f204a0b0af133aaf33c10df84009c32d34037f4e0e077',
    sources: [HOMELAB, KYVERNETRIA],
  },
  'registry.k8s.io/kube-scheduler:v1.37.0': {
    digest: 'sha256:a27622f132aa09cf2461ba077894a070c0186ec607366d14e805912d4804d11f',
    sources: [HOMELAB, KYVERNETRIA],
  },
  // etcd: promotion gives etcd's `vX.Y.Z` and kubeadm's `X.Y.Z-0` one manifest (etcd's guide to
  // bumping etcd in Kubernetes, kubernetes/k8s.io images.yaml), so either tag's digest counts.
  'registry.k8s.io/etcd:3.6.6-0': {
    digest: 'sha256:60a30b5d81b2217555e2cfb9537f655b7ba97220b99c39ee2e162a7127225890',
    sources: [
      'kubeadm clusters at 1.35: kubectl describe of the etcd static pod (Image ID), two write-ups',
      `${HOMELAB}: gcr.io/etcd-development/etcd:v3.6.6`,
    ],
  },
  'registry.k8s.io/etcd:3.6.8-0': {
    digest: 'sha256:397189418d1a00e500c0605ad18d1baf3b541a1004d768448c367e48071622e5',
    sources: [
      "a kubeadm cluster's etcd backup CronJob write-up (the etcd pods' imageID)",
      BOXP,
      `${HOMELAB}: registry.k8s.io/etcd:v3.6.8`,
    ],
  },
  'registry.k8s.io/coredns/coredns:v1.14.2': {
    digest: 'sha256:e7e6440cfd1e919280958f5b5a6ab2b184d385bba774c12ad2a9e1e4183f90d9',
    sources: [CILIUM, BOXP, INTAR],
  },
  'registry.k8s.io/coredns/coredns:v1.14.6': {
    digest: 'sha256:900f9c109f7a33545d3c811516e8376df9019147b750f5ce3e254468769176ea',
    sources: [
      'a Kubernetes NetworkPolicy check script (coredns_image)',
      'the same release on docker.io/coredns/coredns:1.14.6 in several Helm values and Dockerfiles',
    ],
  },
  'registry.k8s.io/pause:3.10.1': {
    digest: 'sha256:278fb9dbcca9518083ad1e11276933a2e96f23de604a3a08cc3c80002767d24c',
    sources: [
      'a Zarf air-gap bundle WORKLOAD_IMAGES list',
      'trafficops stage-1 check: docker buildx imagetools inspect',
    ],
  },
  'registry.k8s.io/pause:3.10.2': {
    digest: 'sha256:f548e0e8e3dc1896ca956272154dde3314e8cc4fde0a57577ee9fa1c63f5baf4',
    sources: [BOXP, KYVERNETRIA, 'github.com/agent-substrate/substrate (PauseImage)'],
  },
  'ghcr.io/flannel-io/flannel:v0.28.1': {
    digest: 'sha256:6a9c170acece4457ccb9cdfe53c787cc451e87990e20451bf20070b8895fa538',
    sources: [HOMELAB, FLANNEL_TRANSCRIPT],
  },
  'ghcr.io/flannel-io/flannel-cni-plugin:v1.9.0-flannel1': {
    digest: 'sha256:c6a08fe5bcb23b19c2fc7c1e47b95a967cc924224ebedf94e8623f27b6c258fa',
    sources: [HOMELAB, FLANNEL_TRANSCRIPT],
  },
};
