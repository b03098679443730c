import { type ClusterModel, HakocError, type Machine } from '@hakoc/core';
import type { VagrantClusterLayout, VagrantMachine, VagrantRole } from './layout.js';
import { LAYOUT_INVALID_CODE } from './layout-check.js';
import { type MachineResourceOverrides, machineResources } from './resources.js';

/**
 * Where the etcd members run:
 *
 * - `dedicated`: a VM per member, as on GCE. The default: losing a controller VM does not
 *   cost an etcd member too.
 * - `controllers`: member N runs on controller N, for small laptops (a 3/3/2 cluster needs
 *   three VMs and 3 GiB less). The controller VM gets the member's address on a second
 *   interface and its name in `/etc/hosts`, so certificates and `initial-cluster` are the same
 *   as with dedicated members, and boots both boot configurations (merged; a path both write
 *   differently is an error). Needs at least as many controllers as members.
 */
export type EtcdPlacement = 'dedicated' | 'controllers';

/** Options of {@link layoutFromModel}. */
export interface VagrantLayoutOptions {
  /** Where the etcd members run. @default 'dedicated' */
  readonly etcdPlacement?: EtcdPlacement;
  /**
   * Memory and CPUs per role over {@link DEFAULT_MACHINE_RESOURCES}. A controller that hosts
   * an etcd member gets the `etcd` memory on top of its own.
   * @default {}
   */
  readonly resources?: MachineResourceOverrides;
}

/** The name of the load balancer VM of cluster `cluster`: `<cluster>-lb`. */
export function loadBalancerName(cluster: string): string {
  return `${cluster}-lb`;
}

/** The user-data file name of a machine, beside the Vagrantfile: `user-data-<machine>`. */
export function userDataFileName(machine: string): string {
  return `user-data-${machine}`;
}

/**
 * The Vagrant layout of a cluster model: the load balancer at the network's `.2`, then every
 * machine of the model with the name and static address the model gave it, sized per role.
 * Every machine, the load balancer included, boots a user-data file named
 * {@link userDataFileName}. Pure: the same model and options give the same layout.
 *
 * @throws HakocError `HAKOC_VAGRANT_LAYOUT_INVALID` when the model is not a Vagrant cluster, a
 *   machine has no address, or etcd is co-located on fewer controllers than it has members
 */
export function layoutFromModel(
  model: ClusterModel,
  options: VagrantLayoutOptions = {},
): VagrantClusterLayout {
  const network = model.network.privateNetwork;
  if (model.provider.name !== 'vagrant' || network === undefined) {
    throw invalid(model.name, `it runs on ${model.provider.name}, not on Vagrant`);
  }
  const placement = options.etcdPlacement ?? 'dedicated';
  const sized = (role: VagrantRole) => machineResources(role, options.resources);
  const vm = (machine: Machine, role: VagrantRole): VagrantMachine => {
    if (machine.ip === undefined) throw invalid(model.name, `${machine.name} has no address`);
    return {
      name: machine.name,
      role,
      ip: machine.ip,
      ...sized(role),
      userData: userDataFileName(machine.name),
    };
  };

  const members = model.machineSets.etcd.machines;
  const controllerMachines = model.machineSets.controlPlane.machines;
  if (placement === 'controllers' && members.length > controllerMachines.length) {
    throw invalid(
      model.name,
      `its ${members.length} etcd members cannot be co-located on ${controllerMachines.length} controllers`,
    );
  }
  const etcd = placement === 'dedicated' ? members.map((member) => vm(member, 'etcd')) : [];
  const controllers = controllerMachines.map((machine, index): VagrantMachine => {
    const base = vm(machine, 'controlPlane');
    const member = placement === 'controllers' ? members[index] : undefined;
    if (member === undefined) return base;
    const memberVm = vm(member, 'etcd');
    return {
      ...base,
      extraAddresses: [{ name: member.name, ip: memberVm.ip }],
      memoryMb: base.memoryMb + memberVm.memoryMb,
    };
  });
  const workers = model.machineSets.workers.machines.map((machine) => vm(machine, 'worker'));
  const lbName = loadBalancerName(model.name);
  const loadBalancer: VagrantMachine = {
    name: lbName,
    role: 'loadBalancer',
    ip: network.loadBalancerIp,
    ...sized('loadBalancer'),
    userData: userDataFileName(lbName),
  };
  return {
    clusterName: model.name,
    box: model.provider.box,
    hypervisor: model.provider.hypervisor,
    network: network.cidr,
    machines: [loadBalancer, ...etcd, ...controllers, ...workers],
    apiServers: controllers.map(({ name, ip }) => ({ name, ip })),
  };
}

function invalid(cluster: string, why: string): HakocError {
  return new HakocError(
    LAYOUT_INVALID_CODE,
    `Cannot lay out cluster ${JSON.stringify(cluster)} on Vagrant: ${why}`,
    {
      hint: 'Use a spec with provider.vagrant; for co-located etcd, run at least as many controllers as members.',
    },
  );
}
