/**
 * Where things live on a machine. kubeadm's layout wherever Kubernetes has one, so operators
 * find files where every guide says they are.
 */
export const machinePaths = {
  /** Certificates and keys of the control plane and the kubelet's client CA. */
  kubernetesPki: '/etc/kubernetes/pki',
  /** Static pod manifests the kubelet runs. */
  staticPods: '/etc/kubernetes/manifests',
  /** The apiserver manifest template, completed at boot with the node's address. */
  staticPodTemplates: '/etc/kubernetes/manifest-templates',
  /** Manifests applied once to the cluster by the bootstrap unit. */
  addons: '/etc/kubernetes/addons',
  /** The kubelet configuration file. */
  kubeletConfig: '/etc/kubernetes/kubelet.yaml',
  /** The kubeconfig the kubelet uses once it has a client certificate. */
  kubeletKubeconfig: '/etc/kubernetes/kubelet.conf',
  /** The worker's bootstrap kubeconfig (CA certificate and token only). */
  bootstrapKubeconfig: '/etc/kubernetes/bootstrap-kubelet.conf',
  /** The kubelet's certificate directory (rotated client certificate, self-signed serving one). */
  kubeletPki: '/var/lib/kubelet/pki',
  /** etcd's configuration file, passed with `--config-file`. */
  etcdConfig: '/etc/etcd/etcd.yaml',
  /** etcd's certificates and keys. */
  etcdPki: '/etc/etcd/pki',
  /** etcd's data directory (the member's own disk on GCE). */
  etcdData: '/var/lib/etcd',
  /** Environment file the node-environment unit writes: NODE_IP, NODE_INTERFACE, NODE_NAME. */
  nodeEnvironment: '/run/hakoc/node.env',
  /** hakoc's own helper scripts. */
  hakocBin: '/opt/hakoc/bin',
  /** Where the CNI configuration goes. */
  cniConfig: '/etc/cni/net.d',
  /** Where containerd looks for CNI plugins (writable, so flannel can add its own plugin). */
  cniBin: '/opt/cni/bin',
  /** The apiserver's audit policy and log. */
  auditPolicy: '/etc/kubernetes/audit-policy.yaml',
  auditLogDir: '/var/log/kubernetes/audit',
} as const;
