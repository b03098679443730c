import { signingCaFile } from '@hakoc/certs';
import type { Pod } from 'kubernetes-models/v1/Pod';
import { stringify } from 'yaml';
import type { ClusterModel } from '../model/index.js';
import { controllerKubeconfigs } from './certs.js';
import type { ComponentImages, PinnedImageReference } from './component-images.js';
import { manifestsYaml } from './manifests.js';
import type { BootModule } from './module.js';
import { NODE_ENVIRONMENT_UNIT } from './node-environment.js';
import { machinePaths } from './paths.js';
import { type HostMount, staticPod } from './static-pod.js';
import { tmpfilesFile } from './tmpfiles.js';

/** Stands for the node's address in the apiserver template until boot knows it. */
export const NODE_IP_PLACEHOLDER = '__NODE_IP__';

/** The unit that completes the apiserver manifest with the node's address. */
export const CONTROL_PLANE_MANIFESTS_UNIT = 'hakoc-control-plane-manifests.service';

const pki = machinePaths.kubernetesPki;
const pkiMount: HostMount = { name: 'k8s-certs', path: pki, readOnly: true };
const caCertsMount: HostMount = { name: 'ca-certs', path: '/etc/ssl/certs', readOnly: true };
const kubeconfigMount = (name: string, path: string): HostMount => ({
  name,
  path,
  readOnly: true,
  file: true,
});

/** The service-account issuer: the in-cluster name of the API, stable across re-creation. */
export function serviceAccountIssuer(model: ClusterModel): string {
  return `https://kubernetes.default.svc.${model.kubernetes.clusterDomain}`;
}

/** kube-apiserver, with `--advertise-address` left as {@link NODE_IP_PLACEHOLDER}. */
export function kubeApiserverPod(
  model: ClusterModel,
  images: ComponentImages<PinnedImageReference>,
): Pod {
  const { endpoints, network } = model;
  return staticPod({
    name: 'kube-apiserver',
    image: images.kubeApiserver,
    cpu: '250m',
    healthPort: endpoints.apiPort,
    livenessPath: '/livez',
    readinessPath: '/readyz',
    mounts: [
      pkiMount,
      caCertsMount,
      { name: 'audit-policy', path: machinePaths.auditPolicy, readOnly: true, file: true },
      { name: 'audit-log', path: machinePaths.auditLogDir, readOnly: false },
    ],
    command: [
      'kube-apiserver',
      // Serving: the endpoint address is the node's own (the `kubernetes` service's endpoints
      // list every controller); the certificate names the LB, the service IP and localhost.
      `--advertise-address=${NODE_IP_PLACEHOLDER}`,
      '--bind-address=0.0.0.0',
      `--secure-port=${endpoints.apiPort}`,
      `--tls-cert-file=${pki}/apiserver.crt`,
      `--tls-private-key-file=${pki}/apiserver.key`,
      '--profiling=false',
      // etcd over TLS with the apiserver's own client certificate from the etcd CA.
      `--etcd-servers=${endpoints.etcd.clientUrls.join(',')}`,
      `--etcd-cafile=${pki}/etcd/ca.crt`,
      `--etcd-certfile=${pki}/apiserver-etcd-client.crt`,
      `--etcd-keyfile=${pki}/apiserver-etcd-client.key`,
      // Authentication: client certificates of the cluster CA, bootstrap tokens for joining
      // workers, and anonymous requests, which RBAC limits to /readyz, /livez and /healthz
      // (what the load balancer's health check asks).
      `--client-ca-file=${pki}/ca.crt`,
      '--enable-bootstrap-token-auth=true',
      '--anonymous-auth=true',
      // Authorisation: kubelets only through the Node authoriser, everyone else through RBAC;
      // NodeRestriction stops a kubelet from changing other nodes or its own role labels.
      '--authorization-mode=Node,RBAC',
      '--enable-admission-plugins=NodeRestriction',
      '--allow-privileged=true',
      // Service accounts: tokens signed with sa.key, checked with sa.pub, issued by a URL
      // that stays the same whichever controller signed them.
      `--service-account-issuer=${serviceAccountIssuer(model)}`,
      `--service-account-key-file=${pki}/sa.pub`,
      `--service-account-signing-key-file=${pki}/sa.key`,
      // Front proxy (API aggregation): trust user headers only from the front-proxy client.
      `--requestheader-client-ca-file=${pki}/front-proxy-ca.crt`,
      '--requestheader-allowed-names=front-proxy-client',
      '--requestheader-username-headers=X-Remote-User',
      '--requestheader-group-headers=X-Remote-Group',
      '--requestheader-extra-headers-prefix=X-Remote-Extra-',
      `--proxy-client-cert-file=${pki}/front-proxy-client.crt`,
      `--proxy-client-key-file=${pki}/front-proxy-client.key`,
      // Kubelets: the apiserver proves itself with its kubelet-client certificate and dials
      // nodes by their internal address (kubelet serving certificates are self-signed).
      `--kubelet-client-certificate=${pki}/apiserver-kubelet-client.crt`,
      `--kubelet-client-key=${pki}/apiserver-kubelet-client.key`,
      '--kubelet-preferred-address-types=InternalIP,ExternalIP,Hostname',
      // Services get cluster IPs from the service CIDR (the first is `kubernetes` itself).
      `--service-cluster-ip-range=${network.serviceCidr}`,
      // Audit: who did what, at metadata level (request bodies could carry secrets), rotated.
      `--audit-policy-file=${machinePaths.auditPolicy}`,
      `--audit-log-path=${machinePaths.auditLogDir}/audit.log`,
      '--audit-log-maxage=30',
      '--audit-log-maxbackup=10',
      '--audit-log-maxsize=100',
    ],
  });
}

/**
 * What the controller manager and the scheduler share: they talk to the apiserver on their own
 * machine (127.0.0.1, see their kubeconfigs), authenticate callers through it, serve only on
 * loopback, and only one of each is active across the controllers at a time.
 */
function leaderElectedLocalFlags(kubeconfig: string): string[] {
  return [
    `--kubeconfig=${kubeconfig}`,
    `--authentication-kubeconfig=${kubeconfig}`,
    `--authorization-kubeconfig=${kubeconfig}`,
    '--bind-address=127.0.0.1',
    '--leader-elect=true',
  ];
}

/** kube-controller-manager: signs kubelet client CSRs, allocates pod CIDRs, runs controllers. */
export function kubeControllerManagerPod(
  model: ClusterModel,
  images: ComponentImages<PinnedImageReference>,
): Pod {
  const kubeconfig = controllerKubeconfigs.controllerManager;
  return staticPod({
    name: 'kube-controller-manager',
    image: images.kubeControllerManager,
    cpu: '200m',
    healthPort: 10257,
    livenessPath: '/healthz',
    mounts: [pkiMount, caCertsMount, kubeconfigMount('kubeconfig', kubeconfig)],
    command: [
      'kube-controller-manager',
      ...leaderElectedLocalFlags(kubeconfig),
      '--profiling=false',
      `--cluster-name=${model.name}`,
      // Signs the CSRs of TLS bootstrapping and rotation with the cluster CA: its certificate
      // alone (ca.crt is the trust bundle, two CAs during a rotation; the signer takes one).
      `--cluster-signing-cert-file=${pki}/${signingCaFile}`,
      `--cluster-signing-key-file=${pki}/ca.key`,
      // Service-account tokens and the CA bundle put into every pod; one credential per
      // controller instead of the manager's own.
      `--service-account-private-key-file=${pki}/sa.key`,
      `--root-ca-file=${pki}/ca.crt`,
      '--use-service-account-credentials=true',
      // Front-proxy trust for delegated authentication of its own endpoints.
      `--requestheader-client-ca-file=${pki}/front-proxy-ca.crt`,
      `--client-ca-file=${pki}/ca.crt`,
      // Every node gets a pod subnet out of the pod CIDR; flannel reads it from the Node.
      '--allocate-node-cidrs=true',
      `--cluster-cidr=${model.network.podCidr}`,
      `--node-cidr-mask-size=${model.network.podSubnetPrefixLength}`,
      `--service-cluster-ip-range=${model.network.serviceCidr}`,
      // The bootstrap signer and token cleaner serve TLS bootstrapping and expire its tokens.
      '--controllers=*,bootstrapsigner,tokencleaner',
    ],
  });
}

/** kube-scheduler, talking to its own apiserver, one active at a time. */
export function kubeSchedulerPod(images: ComponentImages<PinnedImageReference>): Pod {
  const kubeconfig = controllerKubeconfigs.scheduler;
  return staticPod({
    name: 'kube-scheduler',
    image: images.kubeScheduler,
    cpu: '100m',
    healthPort: 10259,
    livenessPath: '/livez',
    readinessPath: '/readyz',
    mounts: [kubeconfigMount('kubeconfig', kubeconfig)],
    command: ['kube-scheduler', ...leaderElectedLocalFlags(kubeconfig), '--profiling=false'],
  });
}

/**
 * The audit policy: nothing for health probes and high-volume reads, metadata (never bodies,
 * which may carry secrets) for everything else.
 */
export function auditPolicy(): Record<string, unknown> {
  return {
    apiVersion: 'audit.k8s.io/v1',
    kind: 'Policy',
    omitStages: ['RequestReceived'],
    rules: [
      { level: 'None', nonResourceURLs: ['/healthz*', '/livez*', '/readyz*', '/version'] },
      {
        level: 'None',
        verbs: ['watch', 'get', 'list'],
        resources: [{ group: 'coordination.k8s.io', resources: ['leases'] }],
      },
      { level: 'None', resources: [{ group: '', resources: ['events'] }] },
      { level: 'Metadata' },
    ],
  };
}

/** The control plane as static pods, the apiserver completed at boot with the node's address. */
export const controlPlaneModule: BootModule = (model, _set, { images }) => {
  const template = `${machinePaths.staticPodTemplates}/kube-apiserver.yaml`;
  const target = `${machinePaths.staticPods}/kube-apiserver.yaml`;
  return {
    files: [
      { path: template, contents: manifestsYaml([kubeApiserverPod(model, images)]), mode: 0o644 },
      {
        path: `${machinePaths.staticPods}/kube-controller-manager.yaml`,
        contents: manifestsYaml([kubeControllerManagerPod(model, images)]),
        mode: 0o644,
      },
      {
        path: `${machinePaths.staticPods}/kube-scheduler.yaml`,
        contents: manifestsYaml([kubeSchedulerPod(images)]),
        mode: 0o644,
      },
      { path: machinePaths.auditPolicy, contents: stringify(auditPolicy()), mode: 0o644 },
      tmpfilesFile('control-plane', [{ directory: machinePaths.auditLogDir, mode: 0o700 }]),
    ],
    units: [
      {
        name: CONTROL_PLANE_MANIFESTS_UNIT,
        enabled: true,
        contents: `[Unit]
Description=Complete the kube-apiserver manifest with this node's address
Requires=${NODE_ENVIRONMENT_UNIT}
After=${NODE_ENVIRONMENT_UNIT}
Before=kubelet.service

[Service]
Type=oneshot
RemainAfterExit=yes
EnvironmentFile=${machinePaths.nodeEnvironment}
# Written beside the template first: the kubelet would read a half-written file in manifests/.
ExecStart=/usr/bin/bash -c 'sed "s/${NODE_IP_PLACEHOLDER}/$$NODE_IP/g" ${template} >${template}.out && mv ${template}.out ${target}'

[Install]
WantedBy=multi-user.target
`,
      },
    ],
  };
};
