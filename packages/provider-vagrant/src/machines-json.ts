import ipaddr from 'ipaddr.js';
import type { VagrantClusterLayout, VagrantMachine, VagrantRole } from './layout.js';

/** The version of {@link MachinesDocument} the Vagrantfile template reads. */
export const MACHINES_SCHEMA_VERSION = 1;

/** One machine as the Vagrantfile reads it from `machines.json`. */
export interface MachinesDocumentMachine {
  /** See {@link VagrantMachine.name}. */
  readonly name: string;
  /** See {@link VagrantMachine.role}. */
  readonly role: VagrantRole;
  /** See {@link VagrantMachine.ip}. */
  readonly ip: string;
  /** See {@link VagrantMachine.memoryMb}. */
  readonly memoryMb: number;
  /** See {@link VagrantMachine.cpus}. */
  readonly cpus: number;
  /** See {@link VagrantMachine.userData}. */
  readonly userData?: string;
}

/** The content of `machines.json`: the only input of the static Vagrantfile. */
export interface MachinesDocument {
  /** Lets the Vagrantfile refuse a file written for another version of it. */
  readonly schemaVersion: typeof MACHINES_SCHEMA_VERSION;
  /** See {@link VagrantClusterLayout.clusterName}. */
  readonly clusterName: string;
  /** See {@link VagrantClusterLayout.box}. */
  readonly box: string;
  /** See {@link VagrantClusterLayout.hypervisor}. */
  readonly hypervisor: VagrantClusterLayout['hypervisor'];
  /** Dotted netmask of the private network; VirtualBox needs it for non-/24 networks. */
  readonly netmask: string;
  /** `ip name` lines every machine gets in `/etc/hosts`. */
  readonly hosts: readonly string[];
  /** Every machine, in bring-up order. */
  readonly machines: readonly MachinesDocumentMachine[];
}

/** The `machines.json` document of a layout. Pure: the same layout gives the same document. */
export function machinesDocument(layout: VagrantClusterLayout): MachinesDocument {
  const [, prefix] = ipaddr.IPv4.parseCIDR(layout.network);
  return {
    schemaVersion: MACHINES_SCHEMA_VERSION,
    clusterName: layout.clusterName,
    box: layout.box,
    hypervisor: layout.hypervisor,
    netmask: ipaddr.IPv4.subnetMaskFromPrefixLength(prefix).toString(),
    hosts: layout.machines.map((machine) => `${machine.ip} ${machine.name}`),
    machines: layout.machines.map(documentMachine),
  };
}

/** `machines.json` as text: two-space JSON with a final newline, stable key order. */
export function renderMachinesJson(layout: VagrantClusterLayout): string {
  return `${JSON.stringify(machinesDocument(layout), null, 2)}\n`;
}

// Copies only the known fields, in a fixed order, so extra properties of the caller's object
// never leak into the file and the output does not depend on how the object was built.
function documentMachine(machine: VagrantMachine): MachinesDocumentMachine {
  const { name, role, ip, memoryMb, cpus, userData } = machine;
  return userData === undefined
    ? { name, role, ip, memoryMb, cpus }
    : { name, role, ip, memoryMb, cpus, userData };
}
