import { stringify } from 'yaml';
import type { BootUnit } from '../boot/index.js';
import { kubeletClientCertificateUnitName } from './kubelet-client-certificate.js';
import { kubeletConfiguration } from './kubelet-config.js';
import { binariesReadyUnits, kubernetesBinDir } from './kubernetes-binaries.js';
import type { BootModule } from './module.js';
import { NODE_ENVIRONMENT_UNIT } from './node-environment.js';
import { machinePaths } from './paths.js';
import { tmpfilesFile } from './tmpfiles.js';
import { waitForUnit, waitForUnitName } from './wait-for.js';

/** How long a worker's kubelet waits for the API load balancer before starting anyway. */
const API_WAIT_SECONDS = 900;

/**
 * The kubelet. Its node IP comes from the node-environment unit (the interface in the node
 * network, never Vagrant's NAT eth0), its node name is the short host name. Workers join by
 * TLS bootstrapping with the token in their bootstrap kubeconfig; controllers hold the cluster
 * CA key anyway and issue their own first client certificate at boot (a bootstrap token would
 * deadlock there: the kubelet waits for its certificate before it starts the static pods that
 * serve the API). Certificate rotation is on for both.
 */
export const kubeletModule: BootModule = (model, machineSet, { binaries }) => {
  const controller = machineSet.role === 'controlPlane';
  const bin = kubernetesBinDir(binaries);
  const apiWait = waitForUnit(
    'api',
    {
      https: {
        url: `${model.endpoints.apiUrl}/readyz`,
        caFile: `${machinePaths.kubernetesPki}/ca.crt`,
      },
    },
    API_WAIT_SECONDS,
  );
  const required = [
    'containerd.service',
    NODE_ENVIRONMENT_UNIT,
    ...binariesReadyUnits(binaries),
    ...(controller ? [kubeletClientCertificateUnitName] : []),
  ];
  const flags = [
    `--config=${machinePaths.kubeletConfig}`,
    `--kubeconfig=${machinePaths.kubeletKubeconfig}`,
    ...(controller ? [] : [`--bootstrap-kubeconfig=${machinePaths.bootstrapKubeconfig}`]),
    `--cert-dir=${machinePaths.kubeletPki}`,
    // systemd expands these from the node-environment file.
    `--node-ip=${systemdVariable('NODE_IP')}`,
    `--hostname-override=${systemdVariable('NODE_NAME')}`,
  ];
  const kubelet: BootUnit = {
    name: 'kubelet.service',
    enabled: true,
    contents: `[Unit]
Description=Kubernetes kubelet
Wants=network-online.target${controller ? '' : ` ${waitForUnitName('api')}`}
After=network-online.target ${[...required, ...(controller ? [] : [waitForUnitName('api')])].join(' ')}
Requires=${required.join(' ')}

[Service]
EnvironmentFile=${machinePaths.nodeEnvironment}
# Kernel modules and sysctls for pod networking; cloud-config writes their files after boot
# has applied the others, and applying them again is harmless.
ExecStartPre=/usr/lib/systemd/systemd-modules-load
ExecStartPre=/usr/lib/systemd/systemd-sysctl
ExecStart=${bin}/kubelet ${flags.join(' ')}
Restart=always
RestartSec=5

[Install]
WantedBy=multi-user.target
`,
    // The Flatcar sysext ships a kubeadm drop-in of the same name; this empty one replaces it.
    dropins: [
      { name: '10-kubeadm.conf', contents: '# Replaced by hakoc: kubelet.service is complete.\n' },
    ],
  };
  const kubeconfig = controller
    ? [
        {
          path: machinePaths.kubeletKubeconfig,
          contents: controllerKubeletKubeconfig(model.name, model.endpoints.apiPort),
          mode: 0o600,
        },
      ]
    : [];
  return {
    files: [
      {
        path: machinePaths.kubeletConfig,
        contents: stringify(kubeletConfiguration(model, machineSet)),
        mode: 0o644,
      },
      ...kubeconfig,
      {
        path: '/etc/modules-load.d/hakoc-kubernetes.conf',
        contents: 'overlay\nbr_netfilter\n',
        mode: 0o644,
      },
      {
        path: '/etc/sysctl.d/hakoc-kubernetes.conf',
        contents: 'net.ipv4.ip_forward = 1\nnet.bridge.bridge-nf-call-iptables = 1\n',
        mode: 0o644,
      },
      tmpfilesFile('kubelet', [
        { directory: machinePaths.kubeletPki, mode: 0o700 },
        { directory: machinePaths.cniConfig, mode: 0o755 },
        ...(controller ? [{ directory: machinePaths.staticPods, mode: 0o755 }] : []),
      ]),
    ],
    units: [kubelet, ...(controller ? [] : [apiWait])],
  };
};

/** A `${NAME}` reference that systemd expands from the unit's environment. */
function systemdVariable(name: string): string {
  return `\${${name}}`;
}

/**
 * The controller kubelet's kubeconfig: its own apiserver on 127.0.0.1 (no dependency on the
 * load balancer) and the rotating certificate file the kubelet itself keeps current.
 */
function controllerKubeletKubeconfig(cluster: string, port: number): string {
  const current = `${machinePaths.kubeletPki}/kubelet-client-current.pem`;
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: cluster,
        cluster: {
          server: `https://127.0.0.1:${port}`,
          'certificate-authority': `${machinePaths.kubernetesPki}/ca.crt`,
        },
      },
    ],
    users: [{ name: 'kubelet', user: { 'client-certificate': current, 'client-key': current } }],
    contexts: [{ name: 'kubelet', context: { cluster, user: 'kubelet' } }],
    'current-context': 'kubelet',
  });
}
