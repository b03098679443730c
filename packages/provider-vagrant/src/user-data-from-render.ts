import { HakocError } from '@hakoc/core';
import { USER_DATA_MISSING_CODE } from './desired.js';

/**
 * The part of the render pipeline's output (`renderCluster` in `@hakoc/core`) this package
 * reads: which cloud-config file each machine boots, and the files.
 */
export interface RenderedCloudConfigs {
  /** The render manifest. */
  readonly manifest: {
    /** Every rendered config. */
    readonly configs: readonly {
      /** Path of the cloud-config among `files`, when one was rendered. */
      readonly cloudConfig?: string;
      /** The machines that boot it. */
      readonly machines?: readonly string[];
    }[];
  };
  /** Rendered files by relative path. */
  readonly files: ReadonlyMap<string, string>;
}

/**
 * The `userData` input of the Vagrant provider from the render pipeline's output: each
 * machine's cloud-config, by machine name. The one seam between rendering boot
 * configurations and running them on Vagrant.
 *
 * @throws HakocError `HAKOC_VAGRANT_USER_DATA_MISSING` when the manifest names a file that is
 *   not among the files
 */
export function userDataFromRendered(rendered: RenderedCloudConfigs): Record<string, string> {
  const userData: Record<string, string> = {};
  for (const config of rendered.manifest.configs) {
    if (config.cloudConfig === undefined) continue;
    const text = rendered.files.get(config.cloudConfig);
    if (text === undefined) {
      throw new HakocError(
        USER_DATA_MISSING_CODE,
        `The render manifest names ${config.cloudConfig}, which is not among the rendered files`,
      );
    }
    for (const machine of config.machines ?? []) userData[machine] = text;
  }
  return userData;
}
