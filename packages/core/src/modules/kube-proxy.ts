import { DaemonSet } from 'kubernetes-models/apps/v1/DaemonSet';
import { ClusterRoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import { stringify } from 'yaml';
import type { ClusterModel } from '../model/index.js';
import { addonPart } from './addon-file.js';
import type { ComponentImages, PinnedImageReference } from './component-images.js';
import { KUBE_PROXY_HEALTH_PORT } from './health.js';
import { type KubernetesObject, MANAGED_LABELS } from './manifests.js';
import type { BootModule } from './module.js';

const namespace = 'kube-system';
const labels = { 'k8s-app': 'kube-proxy', ...MANAGED_LABELS };

/** kube-proxy's KubeProxyConfiguration (`kubeproxy.config.k8s.io/v1alpha1`). */
export function kubeProxyConfiguration(model: ClusterModel): Record<string, unknown> {
  return {
    apiVersion: 'kubeproxy.config.k8s.io/v1alpha1',
    kind: 'KubeProxyConfiguration',
    // It cannot use the `kubernetes` service it is about to program, so it dials the LB.
    clientConnection: { kubeconfig: '/var/lib/kube-proxy/kubeconfig.conf' },
    mode: 'iptables',
    clusterCIDR: model.network.podCidr,
    // Open to the GCE health checker: the worker group's autohealing probes it.
    healthzBindAddress: `0.0.0.0:${KUBE_PROXY_HEALTH_PORT}`,
    metricsBindAddress: '127.0.0.1:10249',
  };
}

/** kube-proxy as a DaemonSet on every node, with its service account and configuration. */
export function kubeProxyManifests(
  model: ClusterModel,
  images: ComponentImages<PinnedImageReference>,
): KubernetesObject[] {
  const kubeconfig = stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: 'default',
        cluster: {
          server: model.endpoints.apiUrl,
          'certificate-authority': '/var/run/secrets/kubernetes.io/serviceaccount/ca.crt',
        },
      },
    ],
    users: [
      {
        name: 'default',
        user: { tokenFile: '/var/run/secrets/kubernetes.io/serviceaccount/token' },
      },
    ],
    contexts: [{ name: 'default', context: { cluster: 'default', user: 'default', namespace } }],
    'current-context': 'default',
  });
  return [
    new ServiceAccount({ metadata: { name: 'kube-proxy', namespace, labels } }),
    new ClusterRoleBinding({
      metadata: { name: 'hakoc:node-proxier', labels },
      roleRef: {
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'ClusterRole',
        name: 'system:node-proxier',
      },
      subjects: [{ kind: 'ServiceAccount', name: 'kube-proxy', namespace }],
    }),
    new ConfigMap({
      metadata: { name: 'kube-proxy', namespace, labels },
      data: {
        'config.conf': stringify(kubeProxyConfiguration(model)),
        'kubeconfig.conf': kubeconfig,
      },
    }),
    new DaemonSet({
      metadata: { name: 'kube-proxy', namespace, labels },
      spec: {
        selector: { matchLabels: { 'k8s-app': 'kube-proxy' } },
        updateStrategy: { type: 'RollingUpdate' },
        template: {
          metadata: { labels },
          spec: {
            serviceAccountName: 'kube-proxy',
            hostNetwork: true,
            priorityClassName: 'system-node-critical',
            // Every node, controllers included (the apiserver reaches services through it).
            tolerations: [{ operator: 'Exists' }],
            nodeSelector: { 'kubernetes.io/os': 'linux' },
            containers: [
              {
                name: 'kube-proxy',
                image: images.kubeProxy,
                command: [
                  '/usr/local/bin/kube-proxy',
                  '--config=/var/lib/kube-proxy/config.conf',
                  '--hostname-override=$(NODE_NAME)',
                ],
                env: [
                  { name: 'NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
                ],
                securityContext: { privileged: true },
                volumeMounts: [
                  { name: 'kube-proxy', mountPath: '/var/lib/kube-proxy' },
                  { name: 'xtables-lock', mountPath: '/run/xtables.lock' },
                  { name: 'lib-modules', mountPath: '/lib/modules', readOnly: true },
                ],
              },
            ],
            volumes: [
              { name: 'kube-proxy', configMap: { name: 'kube-proxy' } },
              {
                name: 'xtables-lock',
                hostPath: { path: '/run/xtables.lock', type: 'FileOrCreate' },
              },
              { name: 'lib-modules', hostPath: { path: '/lib/modules' } },
            ],
          },
        },
      },
    }),
  ];
}

/** kube-proxy, applied once by the bootstrap unit on controllers. */
export const kubeProxyModule: BootModule = (model, machineSet, { images }) =>
  addonPart(machineSet, '20-kube-proxy.yaml', () => kubeProxyManifests(model, images));
