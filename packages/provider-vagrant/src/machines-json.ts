import ipaddr from 'ipaddr.js';
import type {
  VagrantAddress,
  VagrantClusterLayout,
  VagrantMachine,
  VagrantRole,
} from './layout.js';

/**
 * The version of {@link MachinesDocument} the Vagrantfile template reads. 2 added per-machine
 * `box`, `extraAddresses` and the ownership `labels`; a version 1 Vagrantfile would ignore the
 * extra addresses without a word, so it refuses the file instead.
 */
export const MACHINES_SCHEMA_VERSION = 2;

/** One machine as the Vagrantfile reads it from `machines.json`. */
export interface MachinesDocumentMachine {
  /** See {@link VagrantMachine.name}. */
  readonly name: string;
  /** See {@link VagrantMachine.role}. */
  readonly role: VagrantRole;
  /** See {@link VagrantMachine.ip}. */
  readonly ip: string;
  /** See {@link VagrantMachine.extraAddresses}; absent when there are none. */
  readonly extraAddresses?: readonly VagrantAddress[];
  /** See {@link VagrantMachine.memoryMb}. */
  readonly memoryMb: number;
  /** See {@link VagrantMachine.cpus}. */
  readonly cpus: number;
  /** The box this machine boots; the document's `box` when absent. */
  readonly box?: string;
  /**
   * The Vagrant provider the machine was created with, as recorded by the hakoc provider; the
   * Vagrantfile does not read it.
   */
  readonly hypervisor?: VagrantClusterLayout['hypervisor'];
  /**
   * The `ip name` lines this machine gets in `/etc/hosts` at provisioning; the document's
   * `hosts` when absent. Recorded per machine because provisioning runs once: a machine keeps
   * the names it was created with, and the list a new machine gets is its own business.
   */
  readonly hosts?: readonly string[];
  /** See {@link VagrantMachine.userData}. */
  readonly userData?: string;
  /**
   * sha256 of the user-data the machine was provisioned with, recorded so a plan can tell a
   * changed boot configuration without reading the file back.
   */
  readonly userDataSha256?: string;
  /**
   * The Kubernetes release the machine was created with (controllers and workers), recorded so
   * a plan can refuse skipping a minor version; absent on etcd members and the load balancer.
   */
  readonly kubernetesVersion?: string;
  /**
   * Ownership: `hakoc-cluster` and `hakoc-managed`. Vagrant has no labels of its own, so the
   * hakoc provider touches only machines whose entry carries its cluster's labels.
   */
  readonly labels?: Readonly<Record<string, string>>;
}

/** The content of `machines.json`: the only input of the static Vagrantfile. */
export interface MachinesDocument {
  /** Lets the Vagrantfile refuse a file written for another version of it. */
  readonly schemaVersion: typeof MACHINES_SCHEMA_VERSION;
  /** See {@link VagrantClusterLayout.clusterName}. */
  readonly clusterName: string;
  /** See {@link VagrantClusterLayout.box}; machines may name their own. */
  readonly box: string;
  /** See {@link VagrantClusterLayout.hypervisor}. */
  readonly hypervisor: VagrantClusterLayout['hypervisor'];
  /** Dotted netmask of the private network; VirtualBox needs it for non-/24 networks. */
  readonly netmask: string;
  /** `ip name` lines of `/etc/hosts` for machines that list none of their own. */
  readonly hosts?: readonly string[];
  /** Ownership of the project as a whole (see {@link MachinesDocumentMachine.labels}). */
  readonly labels?: Readonly<Record<string, string>>;
  /**
   * The etcd members the cluster should have, as recorded by the hakoc provider: a machine
   * hosting a member not listed here is leaving, and its member leaves the etcd cluster before
   * the machine is destroyed. The Vagrantfile does not read it.
   */
  readonly etcdMembers?: readonly string[];
  /** Every machine, in bring-up order. */
  readonly machines: readonly MachinesDocumentMachine[];
}

/** The dotted netmask of an IPv4 CIDR, for example `255.255.255.0` for a /24. */
export function netmaskOf(cidr: string): string {
  const [, prefix] = ipaddr.IPv4.parseCIDR(cidr);
  return ipaddr.IPv4.subnetMaskFromPrefixLength(prefix).toString();
}

/** The `ip name` lines of `/etc/hosts` for the machines, extra addresses included, in order. */
export function hostsLines(machines: readonly VagrantMachine[]): string[] {
  return machines.flatMap((machine) => [
    `${machine.ip} ${machine.name}`,
    ...(machine.extraAddresses ?? []).map((extra) => `${extra.ip} ${extra.name}`),
  ]);
}

/** The `machines.json` document of a layout. Pure: the same layout gives the same document. */
export function machinesDocument(layout: VagrantClusterLayout): MachinesDocument {
  return {
    schemaVersion: MACHINES_SCHEMA_VERSION,
    clusterName: layout.clusterName,
    box: layout.box,
    hypervisor: layout.hypervisor,
    netmask: netmaskOf(layout.network),
    hosts: hostsLines(layout.machines),
    machines: layout.machines.map((machine) => documentMachine(machine)),
  };
}

/** `machines.json` as text: two-space JSON with a final newline. */
export function renderMachinesJson(layout: VagrantClusterLayout): string {
  return serializeMachinesDocument(machinesDocument(layout));
}

/** Any {@link MachinesDocument} as `machines.json` text: two-space JSON, final newline. */
export function serializeMachinesDocument(document: MachinesDocument): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}

/**
 * One machine's entry. Copies only the known fields, in a fixed order, so extra properties of
 * the caller's object never leak into the file and the output does not depend on how the
 * object was built; optional fields appear only when set.
 */
export function documentMachine(
  machine: VagrantMachine,
  record: Pick<
    MachinesDocumentMachine,
    'box' | 'hypervisor' | 'hosts' | 'userDataSha256' | 'kubernetesVersion' | 'labels'
  > = {},
): MachinesDocumentMachine {
  const { name, role, ip, extraAddresses, memoryMb, cpus, userData } = machine;
  return {
    name,
    role,
    ip,
    ...(extraAddresses === undefined || extraAddresses.length === 0
      ? {}
      : { extraAddresses: extraAddresses.map((extra) => ({ name: extra.name, ip: extra.ip })) }),
    memoryMb,
    cpus,
    ...(record.box === undefined ? {} : { box: record.box }),
    ...(record.hypervisor === undefined ? {} : { hypervisor: record.hypervisor }),
    ...(record.hosts === undefined ? {} : { hosts: [...record.hosts] }),
    ...(userData === undefined ? {} : { userData }),
    ...(record.userDataSha256 === undefined ? {} : { userDataSha256: record.userDataSha256 }),
    ...(record.kubernetesVersion === undefined || record.kubernetesVersion === ''
      ? {}
      : { kubernetesVersion: record.kubernetesVersion }),
    ...(record.labels === undefined ? {} : { labels: { ...record.labels } }),
  };
}
