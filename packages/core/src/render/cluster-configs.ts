import type { BootConfig } from '../boot/index.js';
import type { ClusterModel, MachineSet } from '../model/index.js';
import { type ModuleArtifacts, roleBootConfig } from '../modules/index.js';

/** The role names of rendered configs, as `manifest.json` spells them. */
export type RenderedRole = 'etcd' | 'control-plane' | 'worker' | 'load-balancer';

/** One boot configuration of the cluster and the machines that boot with it. */
export interface ClusterBootConfig {
  /** File name stem: the etcd member's name, or the machine set's name. */
  readonly name: string;
  /** What the machines do. */
  readonly role: RenderedRole;
  /** The machines booting it, when the model names them (all etcd members; Vagrant machines). */
  readonly machines: readonly string[];
  /** The composed files and units. */
  readonly config: BootConfig;
}

const ROLE_NAMES = { etcd: 'etcd', controlPlane: 'control-plane', workers: 'worker' } as const;

/**
 * Every boot configuration of a cluster: one per etcd member (each has its own name and
 * certificates), one for the control-plane set and one for the worker set (their machines
 * learn their addresses at boot, so managed instance groups can share one template).
 */
export function clusterBootConfigs(
  model: ClusterModel,
  artifacts: ModuleArtifacts,
): ClusterBootConfig[] {
  const etcd = model.machineSets.etcd;
  const members = etcd.machines.map((machine) => {
    const set: MachineSet = { ...etcd, machines: [machine] };
    return {
      name: machine.name,
      role: ROLE_NAMES.etcd,
      machines: [machine.name],
      config: roleBootConfig(model, set, artifacts),
    };
  });
  const shared = [model.machineSets.controlPlane, model.machineSets.workers].map((set) => ({
    name: set.name,
    role: ROLE_NAMES[set.role],
    machines: set.machines.map((machine) => machine.name),
    config: roleBootConfig(model, set, artifacts),
  }));
  return [...members, ...shared];
}
