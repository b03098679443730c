import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { ClusterRole } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRole';
import { ClusterRoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Service } from 'kubernetes-models/v1/Service';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import type { ClusterModel } from '../model/index.js';
import { addonPart } from './addon-file.js';
import type { ComponentImages, PinnedImageReference } from './component-images.js';
import { type KubernetesObject, MANAGED_LABELS } from './manifests.js';
import type { BootModule } from './module.js';

const namespace = 'kube-system';
const labels = { 'k8s-app': 'kube-dns', ...MANAGED_LABELS };

/** The Corefile: cluster names from the API, everything else forwarded to the node's resolver. */
export function corefile(model: ClusterModel): string {
  const domain = model.kubernetes.clusterDomain;
  return `.:53 {
    errors
    health {
        lameduck 5s
    }
    ready
    kubernetes ${domain} in-addr.arpa ip6.arpa {
        pods insecure
        fallthrough in-addr.arpa ip6.arpa
        ttl 30
    }
    prometheus :9153
    forward . /etc/resolv.conf {
        max_concurrent 1000
    }
    cache 30
    loop
    reload
    loadbalance
}
`;
}

/** CoreDNS: two replicas on different nodes behind the cluster DNS IP the kubelets hand out. */
export function corednsManifests(
  model: ClusterModel,
  images: ComponentImages<PinnedImageReference>,
): KubernetesObject[] {
  return [
    new ServiceAccount({ metadata: { name: 'coredns', namespace, labels } }),
    new ClusterRole({
      metadata: { name: 'hakoc:coredns', labels },
      rules: [
        {
          apiGroups: [''],
          resources: ['endpoints', 'services', 'pods', 'namespaces'],
          verbs: ['list', 'watch'],
        },
        {
          apiGroups: ['discovery.k8s.io'],
          resources: ['endpointslices'],
          verbs: ['list', 'watch'],
        },
      ],
    }),
    new ClusterRoleBinding({
      metadata: { name: 'hakoc:coredns', labels },
      roleRef: {
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'ClusterRole',
        name: 'hakoc:coredns',
      },
      subjects: [{ kind: 'ServiceAccount', name: 'coredns', namespace }],
    }),
    new ConfigMap({
      metadata: { name: 'coredns', namespace, labels },
      data: { Corefile: corefile(model) },
    }),
    new Deployment({
      metadata: { name: 'coredns', namespace, labels },
      spec: {
        replicas: 2,
        selector: { matchLabels: { 'k8s-app': 'kube-dns' } },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } },
        template: {
          metadata: { labels },
          spec: {
            serviceAccountName: 'coredns',
            priorityClassName: 'system-cluster-critical',
            dnsPolicy: 'Default',
            nodeSelector: { 'kubernetes.io/os': 'linux' },
            tolerations: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }],
            affinity: {
              podAntiAffinity: {
                preferredDuringSchedulingIgnoredDuringExecution: [
                  {
                    weight: 100,
                    podAffinityTerm: {
                      labelSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
                      topologyKey: 'kubernetes.io/hostname',
                    },
                  },
                ],
              },
            },
            containers: [
              {
                name: 'coredns',
                image: images.coredns,
                args: ['-conf', '/etc/coredns/Corefile'],
                resources: {
                  requests: { cpu: '100m', memory: '70Mi' },
                  limits: { memory: '170Mi' },
                },
                ports: [
                  { name: 'dns', containerPort: 53, protocol: 'UDP' },
                  { name: 'dns-tcp', containerPort: 53, protocol: 'TCP' },
                  { name: 'metrics', containerPort: 9153, protocol: 'TCP' },
                ],
                securityContext: {
                  allowPrivilegeEscalation: false,
                  readOnlyRootFilesystem: true,
                  capabilities: { add: ['NET_BIND_SERVICE'], drop: ['ALL'] },
                },
                livenessProbe: {
                  httpGet: { path: '/health', port: 8080 },
                  initialDelaySeconds: 60,
                  timeoutSeconds: 5,
                },
                readinessProbe: { httpGet: { path: '/ready', port: 8181 } },
                volumeMounts: [{ name: 'config', mountPath: '/etc/coredns', readOnly: true }],
              },
            ],
            volumes: [{ name: 'config', configMap: { name: 'coredns' } }],
          },
        },
      },
    }),
    new Service({
      metadata: { name: 'kube-dns', namespace, labels },
      spec: {
        selector: { 'k8s-app': 'kube-dns' },
        clusterIP: model.network.clusterDnsIp,
        ports: [
          { name: 'dns', port: 53, protocol: 'UDP' },
          { name: 'dns-tcp', port: 53, protocol: 'TCP' },
          { name: 'metrics', port: 9153, protocol: 'TCP' },
        ],
      },
    }),
  ];
}

/** CoreDNS, applied once by the bootstrap unit on controllers. */
export const corednsModule: BootModule = (model, machineSet, { images }) =>
  addonPart(machineSet, '40-coredns.yaml', () => corednsManifests(model, images));
