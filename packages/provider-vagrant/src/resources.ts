import type { VagrantRole } from './layout.js';

/** Memory and virtual CPUs of one machine. */
export interface MachineResources {
  /** Memory in MiB. */
  readonly memoryMb: number;
  /** Virtual CPUs. */
  readonly cpus: number;
}

/**
 * What each role gets unless the caller says otherwise. The control plane runs the API server,
 * controller manager and scheduler as static pods and needs 2 GiB to stay out of swap-less OOM
 * kills; a dedicated etcd member is light; workers get room for a few pods; HAProxy needs
 * almost nothing.
 */
export const DEFAULT_MACHINE_RESOURCES: Readonly<Record<VagrantRole, MachineResources>> = {
  controlPlane: { memoryMb: 2048, cpus: 2 },
  etcd: { memoryMb: 1024, cpus: 1 },
  worker: { memoryMb: 2048, cpus: 2 },
  loadBalancer: { memoryMb: 512, cpus: 1 },
};

/** Per-role changes to {@link DEFAULT_MACHINE_RESOURCES}. */
export type MachineResourceOverrides = Readonly<
  Partial<Record<VagrantRole, Partial<MachineResources>>>
>;

/**
 * The memory and CPUs a machine of `role` gets: the role's default with the caller's overrides
 * on top.
 */
export function machineResources(
  role: VagrantRole,
  overrides: MachineResourceOverrides = {},
): MachineResources {
  return { ...DEFAULT_MACHINE_RESOURCES[role], ...overrides[role] };
}
