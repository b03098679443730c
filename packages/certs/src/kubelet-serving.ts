/**
 * How kubelets get their serving certificate (the one on :10250 the API server and
 * metrics-server talk to): **self-signed by each kubelet**, i.e. `serverTLSBootstrap: false`.
 *
 * Why not a CSR approver:
 * - Workers autoscale and learn their addresses at boot, so the operator cannot pre-issue them,
 *   and no CA key may reach a worker.
 * - The controller-manager's built-in approver deliberately never approves
 *   `kubernetes.io/kubelet-serving` CSRs: it cannot check that the requested names and IPs are
 *   really the node's. Approving them by RBAC alone would let any node (or anyone holding a
 *   node's credentials) obtain a cluster-CA-signed serving certificate for any name or IP,
 *   including `kubernetes.default` — worse than self-signed.
 * - A correct approver must compare each CSR with the Node object's addresses; that is a
 *   third-party controller we would have to pin, run and trust in every cluster.
 *
 * What it costs: the API server does not verify kubelet serving certificates (no
 * `--kubelet-certificate-authority`, kubeadm's default too) — the API server still proves
 * itself to kubelets with `apiserver-kubelet-client`, and kubelets accept only that CA.
 * metrics-server then needs `--kubelet-insecure-tls`. A cluster that wants verified kubelet
 * serving certificates can turn on `serverTLSBootstrap` and deploy such an approver.
 */
export const kubeletServingCertificates = {
  /** Each kubelet generates and signs its own serving certificate. */
  mode: 'self-signed',
  /** The value for the kubelet configuration's `serverTLSBootstrap` field. */
  serverTLSBootstrap: false,
} as const;
