import type { BootConfigPart } from '../boot/index.js';
import type { MachineSet } from '../model/index.js';
import { type KubernetesObject, manifestsYaml } from './manifests.js';
import { machinePaths } from './paths.js';

/**
 * A cluster add-on as one file in {@link machinePaths.addons}, written on controllers only
 * (the bootstrap unit applies the folder in file-name order); other roles get nothing.
 */
export function addonPart(
  machineSet: MachineSet,
  fileName: string,
  objects: () => readonly KubernetesObject[],
): BootConfigPart {
  if (machineSet.role !== 'controlPlane') return {};
  return {
    files: [
      {
        path: `${machinePaths.addons}/${fileName}`,
        contents: manifestsYaml(objects()),
        mode: 0o644,
      },
    ],
  };
}
