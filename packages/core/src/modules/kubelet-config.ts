import { kubeletServingCertificates } from '@hakoc/certs';
import type { ClusterModel, MachineSet } from '../model/index.js';
import { machinePaths } from './paths.js';

/** The fields of `kubelet.config.k8s.io/v1beta1` KubeletConfiguration that hakoc sets. */
export interface KubeletConfigurationFile {
  readonly apiVersion: 'kubelet.config.k8s.io/v1beta1';
  readonly kind: 'KubeletConfiguration';
  readonly authentication: {
    readonly anonymous: { readonly enabled: boolean };
    readonly webhook: { readonly enabled: boolean };
    readonly x509: { readonly clientCAFile: string };
  };
  readonly authorization: { readonly mode: 'Webhook' };
  readonly cgroupDriver: 'systemd';
  readonly clusterDNS: readonly string[];
  readonly clusterDomain: string;
  readonly containerRuntimeEndpoint: string;
  readonly rotateCertificates: boolean;
  readonly serverTLSBootstrap: boolean;
  readonly readOnlyPort: number;
  readonly healthzBindAddress: string;
  readonly tlsMinVersion: string;
  readonly volumePluginDir: string;
  readonly staticPodPath?: string;
  readonly registerWithTaints?: readonly { readonly key: string; readonly effect: string }[];
}

/** The taint control-plane nodes register with, so ordinary pods stay on workers. */
export const CONTROL_PLANE_TAINT = {
  key: 'node-role.kubernetes.io/control-plane',
  effect: 'NoSchedule',
};

/** The kubelet configuration of a controller or worker. */
export function kubeletConfiguration(
  model: ClusterModel,
  machineSet: MachineSet,
): KubeletConfigurationFile {
  const controller = machineSet.role === 'controlPlane';
  return {
    apiVersion: 'kubelet.config.k8s.io/v1beta1',
    kind: 'KubeletConfiguration',
    // Only the apiserver (client certificate from the cluster CA) or tokens the apiserver
    // vouches for may use the kubelet API; nothing anonymous, no read-only port.
    authentication: {
      anonymous: { enabled: false },
      webhook: { enabled: true },
      x509: { clientCAFile: `${machinePaths.kubernetesPki}/ca.crt` },
    },
    authorization: { mode: 'Webhook' },
    readOnlyPort: 0,
    tlsMinVersion: 'VersionTLS12',
    // containerd runs with SystemdCgroup = true; both must agree.
    cgroupDriver: 'systemd',
    containerRuntimeEndpoint: 'unix:///run/containerd/containerd.sock',
    clusterDNS: [model.network.clusterDnsIp],
    clusterDomain: model.kubernetes.clusterDomain,
    // Client certificate renewed through CSRs before expiry (auto-approved for the node's own
    // name); serving certificate self-signed, see @hakoc/certs kubeletServingCertificates.
    rotateCertificates: true,
    serverTLSBootstrap: kubeletServingCertificates.serverTLSBootstrap,
    healthzBindAddress: '127.0.0.1',
    // Flatcar's /usr is read-only; the default flexvolume directory lives there.
    volumePluginDir: '/var/lib/kubelet/volumeplugins',
    ...(controller
      ? { staticPodPath: machinePaths.staticPods, registerWithTaints: [CONTROL_PLANE_TAINT] }
      : {}),
  };
}
