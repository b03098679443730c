import {
  type ClusterModel,
  HakocError,
  type RenderedCluster,
  type RenderedRole,
} from '@hakoc/core';

/**
 * The Ignition configs the GCE provider puts on machines, rendered JSON per role. etcd members
 * each get their own (their certificates), delivered through their own per-instance config;
 * the control plane and the workers share one config per role through their template.
 */
export interface GceBootConfigs {
  /** Ignition JSON per etcd member, by member name (`demo-etcd-0`). */
  readonly etcd: Readonly<Record<string, string>>;
  /** Ignition JSON of every control-plane machine. */
  readonly controlPlane: string;
  /** Ignition JSON of every worker. */
  readonly workers: string;
}

/** The stable code of a render whose manifest lacks a config the provider needs. */
export const BOOT_CONFIG_MISSING_CODE = 'HAKOC_GCE_BOOT_CONFIG_MISSING';

/**
 * The provider's boot configs from the render pipeline's output (`renderCluster` in
 * `@hakoc/core`): each etcd member's own Ignition config by member name, and the shared
 * control-plane and worker configs. The one seam between rendering boot configurations and
 * running them on GCE.
 *
 * @throws HakocError {@link BOOT_CONFIG_MISSING_CODE} when the render lacks one of them.
 */
export function bootConfigsFromRendered(
  model: ClusterModel,
  rendered: RenderedCluster,
): GceBootConfigs {
  const ignitionOf = (role: RenderedRole, name: string): string => {
    const entry = rendered.manifest.configs.find(
      (config) => config.role === role && config.name === name,
    );
    const text = entry === undefined ? undefined : rendered.files.get(entry.ignition);
    if (text === undefined) {
      throw new HakocError(
        BOOT_CONFIG_MISSING_CODE,
        `No ${role} boot config ${name} was rendered.`,
        {
          hint: 'render the configs with renderCluster from the same model',
        },
      );
    }
    return text;
  };
  const { etcd, controlPlane, workers } = model.machineSets;
  return {
    etcd: Object.fromEntries(
      etcd.machines.map((machine) => [machine.name, ignitionOf('etcd', machine.name)]),
    ),
    controlPlane: ignitionOf('control-plane', controlPlane.name),
    workers: ignitionOf('worker', workers.name),
  };
}
