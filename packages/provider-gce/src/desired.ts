import {
  type ClusterModel,
  type MachineSet,
  type Resource,
  type ResourceRef,
  resourceName,
} from '@hakoc/core';
import type { GceBootConfigs } from './boot-configs.js';
import type { InstanceProperties } from './compute-types.js';
import { fqdn } from './dns-record-sets.js';
import { etcdMemberIp } from './etcd-addresses.js';
import { gceFailure } from './gce-errors.js';
import { bootImage } from './image.js';
import { ADDRESS_TYPE, type AddressFields } from './resources/address.js';
import { AUTOSCALER_TYPE, type AutoscalerSpec } from './resources/autoscaler.js';
import { BACKEND_SERVICE_TYPE, type BackendServiceSpec } from './resources/backend-service.js';
import { DISK_TYPE, type DiskSpec } from './resources/disk.js';
import { DNS_RECORD_TYPE, type DnsRecordSpec } from './resources/dns-record.js';
import {
  ETCD_DATA_DEVICE,
  ETCD_MEMBER_TYPE,
  type EtcdMemberSpec,
  USER_DATA_KEY,
} from './resources/etcd-member.js';
import { FIREWALL_TYPE, type FirewallSpec } from './resources/firewall.js';
import { FORWARDING_RULE_TYPE, type ForwardingRuleSpec } from './resources/forwarding-rule.js';
import { HEALTH_CHECK_TYPE, type HealthCheckSpec } from './resources/health-check.js';
import { INSTANCE_GROUP_TYPE, type InstanceGroupSpec } from './resources/instance-group.js';
import {
  INSTANCE_TEMPLATE_TYPE,
  type InstanceTemplateSpec,
  KUBERNETES_VERSION_LABEL,
  templateHash,
  versionLabelValue,
} from './resources/instance-template.js';
import { NETWORK_TYPE, type NetworkSpec } from './resources/network.js';
import { regionalRef } from './resources/site.js';
import { SUBNETWORK_TYPE, type SubnetworkSpec } from './resources/subnetwork.js';

/** What the GCE provider builds a cluster from. */
export interface GceInput {
  /** The cluster model (its provider must be `gce`). */
  readonly model: ClusterModel;
  /** The rendered Ignition configs. */
  readonly bootConfigs: GceBootConfigs;
}

/** Size of each etcd member's data disk, in GB; etcd's own database limit is 8 GB. */
export const ETCD_DATA_DISK_GB = 10;

/** Ranges GCE health checks (and passthrough network load balancers' probes) come from. */
export const HEALTH_CHECK_RANGES = [
  '35.191.0.0/16',
  '130.211.0.0/22',
  '209.85.152.0/22',
  '209.85.204.0/22',
] as const;

/** Port kube-proxy answers `/healthz` on: a worker is healthy when its proxy is. */
export const KUBE_PROXY_HEALTH_PORT = 10256;

const DNS_TTL = 300;

/** The serial group of the etcd members: they are re-created one at a time. */
export const ETCD_SERIAL_GROUP = 'etcd';

function ref(type: string, name: string): ResourceRef {
  return { type, name };
}

/**
 * Objects a resource names in GCE, which GCE will not delete while it exists: they come first
 * (`dependsOn`), and a replacement of one of them takes this resource down and up again around
 * it (`references`) instead of stalling on "in use".
 */
function refersTo(...refs: readonly ResourceRef[]): Pick<Resource, 'dependsOn' | 'references'> {
  const plain = refs.map(({ type, name }) => ref(type, name));
  return { dependsOn: plain, references: plain };
}

/** `resource`, also ordered after `before` (an edge of order only, not a reference). */
function after<Spec>(resource: Resource<Spec>, before: readonly ResourceRef[]): Resource<Spec> {
  return {
    ...resource,
    dependsOn: [...(resource.dependsOn ?? []), ...before.map(({ type, name }) => ref(type, name))],
  };
}

interface Names {
  readonly network: string;
  readonly subnetwork: string;
  readonly clusterTag: string;
}

function templateOf(
  model: ClusterModel,
  set: MachineSet,
  role: string,
  names: Names,
  project: string,
  region: string,
  userData: string | undefined,
): Resource<InstanceTemplateSpec> {
  const image = bootImage(model, project);
  // etcd machines run no Kubernetes: a Kubernetes patch release must not re-create them.
  const kubernetesVersion = role === 'etcd' ? '' : model.kubernetes.version;
  const properties: InstanceProperties = {
    machineType: set.machineType,
    labels: {
      ...set.labels,
      ...(kubernetesVersion === ''
        ? {}
        : { [KUBERNETES_VERSION_LABEL]: versionLabelValue(kubernetesVersion) }),
    },
    tags: { items: [names.clusterTag, set.name] },
    disks: [
      {
        boot: true,
        autoDelete: true,
        deviceName: 'boot',
        initializeParams: {
          sourceImage: image,
          diskSizeGb: String(set.diskSizeGb),
          diskType: 'pd-balanced',
          labels: { ...set.labels },
        },
      },
    ],
    networkInterfaces: [
      {
        subnetwork: regionalRef(project, region, 'subnetworks', names.subnetwork),
        // An external address gives machines egress (downloads at first boot) without a NAT.
        accessConfigs: [{ type: 'ONE_TO_ONE_NAT', name: 'External NAT' }],
      },
    ],
    scheduling: { automaticRestart: true, onHostMaintenance: 'MIGRATE' },
    ...(userData === undefined
      ? {}
      : { metadata: { items: [{ key: USER_DATA_KEY, value: userData }] } }),
  };
  const contentHash = templateHash(role, properties);
  return {
    type: INSTANCE_TEMPLATE_TYPE,
    name: `${set.name}-${contentHash}`,
    ...refersTo(ref(SUBNETWORK_TYPE, names.subnetwork)),
    secretFields: ['properties'],
    spec: {
      role,
      machineType: set.machineType,
      diskSizeGb: set.diskSizeGb,
      image,
      kubernetesVersion,
      contentHash,
      properties,
    },
  };
}

function namesOf(model: ClusterModel): Names {
  return {
    network: resourceName(model.name, 'network'),
    subnetwork: resourceName(model.name, 'nodes'),
    clusterTag: model.name,
  };
}

/** The cluster's firewall rules (for their count in quota checks as much as for the graph). */
export function clusterFirewalls(model: ClusterModel): Resource<FirewallSpec>[] {
  return firewalls(model, namesOf(model));
}

function firewalls(model: ClusterModel, names: Names): Resource<FirewallSpec>[] {
  const { etcd, controlPlane, workers } = model.machineSets;
  const cluster = model.name;
  const { nodeCidr, podCidr } = model.network;
  const base = { network: names.network, priority: 1000 };
  const rule = (suffix: string, spec: Omit<FirewallSpec, 'network' | 'priority'>) => ({
    type: FIREWALL_TYPE,
    name: resourceName(cluster, suffix),
    ...refersTo(ref(NETWORK_TYPE, names.network)),
    spec: { ...base, ...spec },
  });
  const apiPort = String(model.endpoints.apiPort);
  const rules = [
    rule('internal', {
      purpose: 'ICMP between machines and pods',
      allowed: [{ IPProtocol: 'icmp' }],
      sourceRanges: [nodeCidr, podCidr],
      sourceTags: [],
      targetTags: [names.clusterTag],
    }),
    rule('api', {
      purpose: `Kubernetes API ${apiPort} from the allowed ranges, machines and pods`,
      allowed: [{ IPProtocol: 'tcp', ports: [apiPort] }],
      sourceRanges: [...new Set([...model.access.apiSourceRanges, nodeCidr, podCidr])],
      sourceTags: [],
      targetTags: [controlPlane.name],
    }),
    rule('health-checks', {
      purpose: 'GCE health checks and passthrough load balancer probes',
      allowed: [{ IPProtocol: 'tcp', ports: [apiPort, String(KUBE_PROXY_HEALTH_PORT)] }],
      sourceRanges: [...HEALTH_CHECK_RANGES],
      sourceTags: [],
      targetTags: [controlPlane.name, workers.name],
    }),
    rule('etcd', {
      purpose: 'etcd clients and peers: etcd and the control plane only',
      allowed: [{ IPProtocol: 'tcp', ports: ['2379-2380'] }],
      sourceRanges: [],
      sourceTags: [etcd.name, controlPlane.name],
      targetTags: [etcd.name],
    }),
    rule('kubelet', {
      purpose: 'kubelet API 10250 from the control plane and pods (metrics)',
      allowed: [{ IPProtocol: 'tcp', ports: ['10250'] }],
      sourceRanges: [podCidr],
      sourceTags: [controlPlane.name],
      targetTags: [controlPlane.name, workers.name],
    }),
    rule('flannel', {
      purpose: 'flannel VXLAN between Kubernetes nodes',
      allowed: [{ IPProtocol: 'udp', ports: ['8472'] }],
      sourceRanges: [],
      sourceTags: [controlPlane.name, workers.name],
      targetTags: [controlPlane.name, workers.name],
    }),
  ];
  if (model.access.sshSourceRanges.length > 0) {
    rules.push(
      rule('ssh', {
        purpose: 'SSH from the allowed ranges',
        allowed: [{ IPProtocol: 'tcp', ports: ['22'] }],
        sourceRanges: [...model.access.sshSourceRanges],
        sourceTags: [],
        targetTags: [names.clusterTag],
      }),
    );
  }
  return rules;
}

function group(
  set: MachineSet,
  role: string,
  template: string,
  healthCheck: string,
  initialDelaySec: number,
  namedPorts: InstanceGroupSpec['namedPorts'],
): Resource<InstanceGroupSpec> {
  const zones = [...set.zones].sort();
  return {
    type: INSTANCE_GROUP_TYPE,
    name: set.name,
    ...refersTo(ref(INSTANCE_TEMPLATE_TYPE, template), ref(HEALTH_CHECK_TYPE, healthCheck)),
    spec: {
      role,
      template,
      zones,
      fixedSize: set.autoscaling === undefined ? set.count : null,
      initialSize: set.count,
      healthCheck,
      initialDelaySec,
      namedPorts,
      // GCE wants a fixed surge of 0 or at least one per zone; nothing may go away first.
      maxSurge: zones.length,
      maxUnavailable: 0,
    },
  };
}

/**
 * The desired GCE resources of a cluster: network, subnetwork and firewall rules; per role a
 * content-named template; etcd members as one-instance stateful groups, each with its own data
 * disk; control-plane and
 * worker groups with autohealing; the worker autoscaler; the API load balancer (address,
 * backend service, forwarding rule); and DNS records. Pure: the same input, the same graph.
 */
export function desiredResources(input: GceInput): Resource[] {
  const { model, bootConfigs } = input;
  if (model.provider.name !== 'gce') {
    throw gceFailure(
      `Cluster ${model.name} runs on ${model.provider.name}, not gce.`,
      { operation: 'create' },
      'invalid',
    );
  }
  const { project, region, dnsZone, internalLoadBalancer } = model.provider;
  const cluster = model.name;
  const { etcd, controlPlane, workers } = model.machineSets;
  const names = namesOf(model);
  const apiPort = model.endpoints.apiPort;

  const etcdTemplate = templateOf(model, etcd, 'etcd', names, project, region, undefined);
  const controllerTemplate = templateOf(
    model,
    controlPlane,
    'controller',
    names,
    project,
    region,
    bootConfigs.controlPlane,
  );
  const workerTemplate = templateOf(
    model,
    workers,
    'worker',
    names,
    project,
    region,
    bootConfigs.workers,
  );

  const etcdDisks: Resource<DiskSpec>[] = [];
  const etcdMembers: Resource<EtcdMemberSpec>[] = etcd.machines.map((machine) => {
    const userData = bootConfigs.etcd[machine.name];
    if (userData === undefined) {
      throw gceFailure(
        `No boot config for etcd member ${machine.name}.`,
        { operation: 'create' },
        'invalid',
      );
    }
    const zone = machine.zone ?? etcd.zones[machine.index % etcd.zones.length] ?? '';
    const disk: Resource<DiskSpec> = {
      type: DISK_TYPE,
      name: resourceName(machine.name, 'data'),
      spec: {
        zone,
        sizeGb: ETCD_DATA_DISK_GB,
        diskType: 'pd-ssd',
        purpose: ETCD_DATA_DEVICE,
        role: 'etcd',
      },
    };
    etcdDisks.push(disk);
    return {
      type: ETCD_MEMBER_TYPE,
      name: machine.name,
      ...refersTo(ref(INSTANCE_TEMPLATE_TYPE, etcdTemplate.name), disk),
      secretFields: ['userData'],
      // A member re-created while another is down could cost the cluster its quorum.
      serialGroup: ETCD_SERIAL_GROUP,
      spec: {
        zone,
        template: etcdTemplate.name,
        ip: etcdMemberIp(model.network.nodeCidr, machine.index),
        disk: disk.name,
        userData,
      },
    };
  });

  const apiCheck: Resource<HealthCheckSpec> = {
    type: HEALTH_CHECK_TYPE,
    name: resourceName(controlPlane.name, 'readyz'),
    spec: {
      type: 'HTTPS',
      port: apiPort,
      requestPath: '/readyz',
      checkIntervalSec: 10,
      timeoutSec: 5,
      healthyThreshold: 2,
      unhealthyThreshold: 3,
    },
  };
  const proxyCheck: Resource<HealthCheckSpec> = {
    type: HEALTH_CHECK_TYPE,
    name: resourceName(workers.name, 'healthz'),
    spec: {
      type: 'HTTP',
      port: KUBE_PROXY_HEALTH_PORT,
      requestPath: '/healthz',
      checkIntervalSec: 10,
      timeoutSec: 5,
      healthyThreshold: 2,
      unhealthyThreshold: 3,
    },
  };

  // An upgrade rolls etcd, then the control plane, then the workers: each group's update waits
  // for what it depends on, and returns once its own machines have settled.
  const controllerGroup = after(
    group(controlPlane, 'controller', controllerTemplate.name, apiCheck.name, 600, [
      { name: 'https', port: apiPort },
    ]),
    etcdMembers,
  );
  const workerGroup = after(
    group(workers, 'worker', workerTemplate.name, proxyCheck.name, 300, []),
    [controllerGroup],
  );
  const autoscaling = workers.autoscaling;
  const autoscalers: Resource<AutoscalerSpec>[] =
    autoscaling === undefined
      ? []
      : [
          {
            type: AUTOSCALER_TYPE,
            name: workers.name,
            ...refersTo(ref(INSTANCE_GROUP_TYPE, workerGroup.name)),
            spec: {
              target: workerGroup.name,
              minNumReplicas: autoscaling.min,
              maxNumReplicas: autoscaling.max,
              cpuUtilizationTarget: autoscaling.cpuTarget,
              coolDownPeriodSec: 120,
            },
          },
        ];

  // Internal and external front ends are different objects (GCE cannot switch a scheme in
  // place), so each has its own names: switching creates the new one and deletes the old.
  const frontName = resourceName(cluster, internalLoadBalancer ? 'api-internal' : 'api');
  const scheme = internalLoadBalancer ? 'INTERNAL' : 'EXTERNAL';
  const address: Resource<AddressFields> = {
    type: ADDRESS_TYPE,
    name: frontName,
    ...refersTo(...(internalLoadBalancer ? [ref(SUBNETWORK_TYPE, names.subnetwork)] : [])),
    spec: { addressType: scheme, subnetwork: internalLoadBalancer ? names.subnetwork : '' },
  };
  const backend: Resource<BackendServiceSpec> = {
    type: BACKEND_SERVICE_TYPE,
    name: frontName,
    ...refersTo(
      ref(HEALTH_CHECK_TYPE, apiCheck.name),
      ref(INSTANCE_GROUP_TYPE, controllerGroup.name),
      ...(internalLoadBalancer ? [ref(NETWORK_TYPE, names.network)] : []),
    ),
    spec: {
      loadBalancingScheme: scheme,
      healthCheck: apiCheck.name,
      groups: [controllerGroup.name],
      network: internalLoadBalancer ? names.network : '',
    },
  };
  const forwardingRule: Resource<ForwardingRuleSpec> = {
    type: FORWARDING_RULE_TYPE,
    name: frontName,
    ...refersTo(
      ref(ADDRESS_TYPE, address.name),
      ref(BACKEND_SERVICE_TYPE, backend.name),
      ...(internalLoadBalancer
        ? [ref(NETWORK_TYPE, names.network), ref(SUBNETWORK_TYPE, names.subnetwork)]
        : []),
    ),
    spec: {
      address: address.name,
      ports: [String(apiPort)],
      backendService: backend.name,
      loadBalancingScheme: scheme,
      network: internalLoadBalancer ? names.network : '',
      subnetwork: internalLoadBalancer ? names.subnetwork : '',
    },
  };

  const records: Resource<DnsRecordSpec>[] = [
    {
      type: DNS_RECORD_TYPE,
      name: fqdn(model.endpoints.api),
      dependsOn: [ref(FORWARDING_RULE_TYPE, forwardingRule.name)],
      spec: { zone: dnsZone, ttl: DNS_TTL, rrdatas: [], address: address.name },
    },
    ...etcdMembers.map((member, index) => ({
      type: DNS_RECORD_TYPE,
      name: fqdn(model.endpoints.etcd.members[index]?.dnsName ?? `etcd-${index}.${model.domain}`),
      dependsOn: [ref(ETCD_MEMBER_TYPE, member.name)],
      spec: { zone: dnsZone, ttl: DNS_TTL, rrdatas: [member.spec.ip], address: '' },
    })),
  ];

  const network: Resource<NetworkSpec> = {
    type: NETWORK_TYPE,
    name: names.network,
    spec: { autoCreateSubnetworks: false, routingMode: 'REGIONAL' },
  };
  const subnetwork: Resource<SubnetworkSpec> = {
    type: SUBNETWORK_TYPE,
    name: names.subnetwork,
    ...refersTo(network),
    spec: {
      network: network.name,
      ipCidrRange: model.network.nodeCidr,
      privateIpGoogleAccess: true,
    },
  };

  return [
    network,
    subnetwork,
    ...firewalls(model, names),
    etcdTemplate,
    controllerTemplate,
    workerTemplate,
    apiCheck,
    proxyCheck,
    ...etcdDisks,
    ...etcdMembers,
    controllerGroup,
    workerGroup,
    ...autoscalers,
    address,
    backend,
    forwardingRule,
    ...records,
  ];
}
