import { type ClusterModel, HakocError, type Resource, type ResourceRef } from '@hakoc/core';
import {
  CONTROL_PLANE_SERIAL_GROUP,
  ETCD_SERIAL_GROUP,
  hostedEtcdMembers,
} from './etcd-membership.js';
import type { VagrantClusterLayout, VagrantMachine } from './layout.js';
import { assertValidLayout } from './layout-check.js';
import { layoutFromModel, type VagrantLayoutOptions } from './layout-from-model.js';
import { type LoadBalancerOptions, renderLoadBalancerUserData } from './load-balancer-config.js';
import { VAGRANT_MACHINE_TYPE, type VagrantMachineSpec } from './machine-resource.js';
import { hostsLines, netmaskOf } from './machines-json.js';
import { mergeCloudConfigs } from './merge-cloud-configs.js';
import { VAGRANT_PROJECT_TYPE, type VagrantProjectSpec } from './project-resource.js';
import { sha256Hex } from './project-store.js';
import { readVagrantfileTemplate } from './vagrantfile-template.js';

/** The code of the error thrown when a machine's user-data is missing from the input. */
export const USER_DATA_MISSING_CODE = 'HAKOC_VAGRANT_USER_DATA_MISSING';

/** What the Vagrant provider builds a cluster from. */
export interface VagrantProviderInput {
  /** The cluster model of a spec with `provider.vagrant`. */
  readonly model: ClusterModel;
  /**
   * The cloud-config of every machine of the model, by machine name (etcd members,
   * controllers, workers). The load balancer's is rendered by this package and needs no entry.
   */
  readonly userData: Readonly<Record<string, string>>;
  /** Layout choices for this cluster, over the provider's own `layout` option. */
  readonly layout?: VagrantLayoutOptions;
}

/** The desired graph and the layout it came from. */
export interface VagrantDesired {
  /** The layout of the cluster. */
  readonly layout: VagrantClusterLayout;
  /** The project resource, then one machine resource per VM, in layout order. */
  readonly resources: readonly Resource[];
}

/** What besides the input shapes the desired graph. */
export interface VagrantDesiredOptions {
  /** Layout choices; the input's own win field by field. */
  readonly layout?: VagrantLayoutOptions;
  /** The load balancer's image and HAProxy settings. */
  readonly loadBalancer?: LoadBalancerOptions;
}

/**
 * The desired resource graph of a cluster: the project, and a machine per VM that depends on
 * it. Pure apart from reading the Vagrantfile template this package ships.
 *
 * A change rolls in a fixed order, as on GCE: the machines running etcd members one at a time
 * (serial group `etcd`), then the other controllers one at a time (`controlPlane`), then the
 * workers together. The order is made of edges of the graph, so `hakoc plan` shows it; each
 * machine's create returns only once it is healthy (see the machine resource).
 *
 * @throws HakocError `HAKOC_VAGRANT_USER_DATA_MISSING` when a machine's cloud-config is missing,
 *   `HAKOC_VAGRANT_LAYOUT_INVALID` for a model that cannot be laid out
 */
export async function desiredResources(
  input: VagrantProviderInput,
  options: VagrantDesiredOptions = {},
): Promise<VagrantDesired> {
  const layout = layoutFromModel(input.model, { ...options.layout, ...input.layout });
  assertValidLayout(layout);
  const project: Resource<VagrantProjectSpec> = {
    type: VAGRANT_PROJECT_TYPE,
    name: layout.clusterName,
    spec: {
      hypervisor: layout.hypervisor,
      box: layout.box,
      netmask: netmaskOf(layout.network),
      vagrantfileSha256: sha256Hex(await readVagrantfileTemplate()),
      etcdMembers: layout.machines.flatMap(hostedEtcdMembers).sort(),
    },
  };
  const lbUserData = renderLoadBalancerUserData(layout, options.loadBalancer);
  const hosts = hostsLines(layout.machines);
  const refs = (machines: readonly VagrantMachine[]): ResourceRef[] =>
    machines.map(({ name }) => ({ type: VAGRANT_MACHINE_TYPE, name }));
  const etcdHosts = layout.machines.filter((machine) => hostedEtcdMembers(machine).length > 0);
  const controllers = layout.machines.filter((machine) => machine.role === 'controlPlane');
  const machines = layout.machines.map((machine): Resource<VagrantMachineSpec> => {
    const runsEtcd = hostedEtcdMembers(machine).length > 0;
    // Order only: a machine of a later stage waits for every machine of the stage before.
    const after =
      machine.role === 'worker'
        ? refs(controllers)
        : machine.role === 'controlPlane' && !runsEtcd
          ? refs(etcdHosts)
          : [];
    const serialGroup = runsEtcd
      ? ETCD_SERIAL_GROUP
      : machine.role === 'controlPlane'
        ? CONTROL_PLANE_SERIAL_GROUP
        : undefined;
    return {
      type: VAGRANT_MACHINE_TYPE,
      name: machine.name,
      spec: {
        role: machine.role,
        ip: machine.ip,
        extraAddresses: machine.extraAddresses ?? [],
        memoryMb: machine.memoryMb,
        cpus: machine.cpus,
        box: layout.box,
        hypervisor: layout.hypervisor,
        hosts,
        userData:
          machine.role === 'loadBalancer' ? lbUserData : userDataOf(machine, input.userData),
        // etcd members and the load balancer run no Kubernetes.
        kubernetesVersion: runsKubernetes(machine) ? input.model.kubernetes.version : '',
        running: true,
      },
      dependsOn: [{ type: VAGRANT_PROJECT_TYPE, name: layout.clusterName }, ...after],
      secretFields: ['userData'],
      ...(serialGroup === undefined ? {} : { serialGroup }),
    };
  });
  return { layout, resources: [project, ...machines] };
}

function runsKubernetes(machine: VagrantMachine): boolean {
  return machine.role === 'controlPlane' || machine.role === 'worker';
}

// A controller hosting an etcd member boots both configurations, merged.
function userDataOf(machine: VagrantMachine, userData: Readonly<Record<string, string>>): string {
  const names = [machine.name, ...(machine.extraAddresses ?? []).map((extra) => extra.name)];
  const missing = names.filter((name) => !Object.hasOwn(userData, name));
  if (missing.length > 0) {
    throw new HakocError(
      USER_DATA_MISSING_CODE,
      `No cloud-config for ${missing.map((name) => JSON.stringify(name)).join(', ')}`,
      {
        hint: "Render the boot configurations of the cluster and pass each machine's cloud-config in userData.",
      },
    );
  }
  return mergeCloudConfigs(names.map((name) => ({ name, cloudConfig: userData[name] ?? '' })));
}
