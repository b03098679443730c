import { DaemonSet } from 'kubernetes-models/apps/v1/DaemonSet';
import { ClusterRole } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRole';
import { ClusterRoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import type { ClusterModel } from '../model/index.js';
import { addonPart } from './addon-file.js';
import type { ComponentImages, PinnedImageReference } from './component-images.js';
import { type KubernetesObject, MANAGED_LABELS } from './manifests.js';
import type { BootModule } from './module.js';
import { machinePaths } from './paths.js';

const namespace = 'kube-system';
const labels = { app: 'flannel', ...MANAGED_LABELS };

/** The UDP port of flannel's VXLAN (the Linux kernel's, which the firewall opens). */
export const FLANNEL_VXLAN_PORT = 8472;

/** flannel's `net-conf.json`: VXLAN over the pod CIDR, a /24 (model's prefix) per node. */
export function flannelNetConf(model: ClusterModel): Record<string, unknown> {
  return {
    Network: model.network.podCidr,
    SubnetLen: model.network.podSubnetPrefixLength,
    Backend: { Type: 'vxlan', Port: FLANNEL_VXLAN_PORT },
  };
}

/** The CNI configuration flannel installs on each node: flannel delegating to bridge, plus portmap. */
export const FLANNEL_CNI_CONFLIST = {
  name: 'cbr0',
  cniVersion: '0.3.1',
  plugins: [
    { type: 'flannel', delegate: { hairpinMode: true, isDefaultGateway: true } },
    { type: 'portmap', capabilities: { portMappings: true } },
  ],
};

/**
 * flannel as a DaemonSet. It takes each node's subnet from the Node object (the
 * controller-manager allocates them) and binds VXLAN to the interface holding the node's
 * InternalIP — the address the kubelet registered from the node network, never Vagrant's NAT
 * eth0 (flannel's own default would pick the default-route interface, which is that NAT).
 */
export function flannelManifests(
  model: ClusterModel,
  images: ComponentImages<PinnedImageReference>,
): KubernetesObject[] {
  return [
    new ServiceAccount({ metadata: { name: 'flannel', namespace, labels } }),
    new ClusterRole({
      metadata: { name: 'hakoc:flannel', labels },
      rules: [
        { apiGroups: [''], resources: ['pods'], verbs: ['get'] },
        { apiGroups: [''], resources: ['nodes'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: [''], resources: ['nodes/status'], verbs: ['patch'] },
      ],
    }),
    new ClusterRoleBinding({
      metadata: { name: 'hakoc:flannel', labels },
      roleRef: {
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'ClusterRole',
        name: 'hakoc:flannel',
      },
      subjects: [{ kind: 'ServiceAccount', name: 'flannel', namespace }],
    }),
    new ConfigMap({
      metadata: { name: 'kube-flannel-cfg', namespace, labels },
      data: {
        'cni-conf.json': `${JSON.stringify(FLANNEL_CNI_CONFLIST, null, 2)}\n`,
        'net-conf.json': `${JSON.stringify(flannelNetConf(model), null, 2)}\n`,
      },
    }),
    new DaemonSet({
      metadata: { name: 'kube-flannel', namespace, labels },
      spec: {
        selector: { matchLabels: { app: 'flannel' } },
        template: {
          metadata: { labels },
          spec: {
            serviceAccountName: 'flannel',
            hostNetwork: true,
            priorityClassName: 'system-node-critical',
            tolerations: [{ operator: 'Exists' }],
            nodeSelector: { 'kubernetes.io/os': 'linux' },
            initContainers: [
              {
                // flannel's CNI plugin is not among the standard plugins; it goes next to them.
                name: 'install-cni-plugin',
                image: images.flannelCniPlugin,
                command: ['cp', '-f', '/flannel', '/opt/cni/bin/flannel'],
                volumeMounts: [{ name: 'cni-plugin', mountPath: '/opt/cni/bin' }],
              },
              {
                name: 'install-cni',
                image: images.flannel,
                command: [
                  'cp',
                  '-f',
                  '/etc/kube-flannel/cni-conf.json',
                  '/etc/cni/net.d/10-flannel.conflist',
                ],
                volumeMounts: [
                  { name: 'cni', mountPath: '/etc/cni/net.d' },
                  { name: 'flannel-cfg', mountPath: '/etc/kube-flannel/' },
                ],
              },
            ],
            containers: [
              {
                name: 'kube-flannel',
                image: images.flannel,
                command: ['/opt/bin/flanneld'],
                // --iface takes an address: the node's InternalIP from the downward API.
                args: ['--ip-masq', '--kube-subnet-mgr', '--iface=$(NODE_IP)'],
                env: [
                  { name: 'NODE_IP', valueFrom: { fieldRef: { fieldPath: 'status.hostIP' } } },
                  { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
                  {
                    name: 'POD_NAMESPACE',
                    valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } },
                  },
                  { name: 'EVENT_QUEUE_DEPTH', value: '5000' },
                ],
                resources: { requests: { cpu: '100m', memory: '50Mi' } },
                securityContext: {
                  privileged: false,
                  capabilities: { add: ['NET_ADMIN', 'NET_RAW'] },
                },
                volumeMounts: [
                  { name: 'run', mountPath: '/run/flannel' },
                  { name: 'flannel-cfg', mountPath: '/etc/kube-flannel/' },
                  { name: 'xtables-lock', mountPath: '/run/xtables.lock' },
                ],
              },
            ],
            volumes: [
              { name: 'run', hostPath: { path: '/run/flannel' } },
              { name: 'cni-plugin', hostPath: { path: machinePaths.cniBin } },
              { name: 'cni', hostPath: { path: machinePaths.cniConfig } },
              { name: 'flannel-cfg', configMap: { name: 'kube-flannel-cfg' } },
              {
                name: 'xtables-lock',
                hostPath: { path: '/run/xtables.lock', type: 'FileOrCreate' },
              },
            ],
          },
        },
      },
    }),
  ];
}

/** flannel, applied once by the bootstrap unit on controllers. */
export const flannelModule: BootModule = (model, machineSet, { images }) =>
  addonPart(machineSet, '30-flannel.yaml', () => flannelManifests(model, images));
