import { API_SERVER_PORT, type MachineRole } from '../model/index.js';

/** Port of etcd's plain-HTTP `/health` and metrics listener (kubeadm's choice). */
export const ETCD_HEALTH_PORT = 2381;

/** Port of kube-proxy's `/healthz`, which the worker group's autohealing probes. */
export const KUBE_PROXY_HEALTH_PORT = 10256;

/** What a load balancer or autohealer probes on a machine of some role. */
export interface HealthCheck {
  /** `HTTPS` where the endpoint only speaks TLS (GCE health checks do not verify the certificate). */
  readonly protocol: 'HTTP' | 'HTTPS';
  /** TCP port. */
  readonly port: number;
  /** Request path; any 2xx is healthy. */
  readonly path: string;
}

/**
 * The health endpoint of each role, for providers' health checks. No proxy of our own is
 * needed (the old TLS proxy existed because GCE health checks once spoke only HTTP):
 * - control plane: the apiserver's `/readyz` over HTTPS, open to anonymous requests by the
 *   default `system:public-info-viewer` role and nothing else;
 * - workers: kube-proxy's `/healthz`, which fails when the node's service rules are stale;
 * - etcd: `/health` on the plain-HTTP metrics listener, which reports only health and metrics
 *   (the client port demands a client certificate no health checker has).
 */
export function roleHealthCheck(role: MachineRole): HealthCheck {
  switch (role) {
    case 'controlPlane':
      return { protocol: 'HTTPS', port: API_SERVER_PORT, path: '/readyz' };
    case 'workers':
      return { protocol: 'HTTP', port: KUBE_PROXY_HEALTH_PORT, path: '/healthz' };
    case 'etcd':
      return { protocol: 'HTTP', port: ETCD_HEALTH_PORT, path: '/health' };
  }
}
