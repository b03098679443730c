import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { HakocError, writeFileAtomic } from '@hakoc/core';
import type { VagrantClusterLayout } from './layout.js';
import { assertValidLayout, isProjectFileName, LAYOUT_INVALID_CODE } from './layout-check.js';
import { renderMachinesJson } from './machines-json.js';
import { readVagrantfileTemplate } from './vagrantfile-template.js';

/**
 * Files to place beside the Vagrantfile, by file name: user-data of each machine and the like.
 * Text only: everything a project holds is (cloud-config, JSON, HAProxy configuration).
 */
export type VagrantProjectFiles = Readonly<Record<string, string>>;

/** Where {@link writeVagrantProject} put everything, as absolute paths. */
export interface VagrantProjectPaths {
  /** The project directory; run `vagrant` here. */
  readonly dir: string;
  /** The Vagrantfile. */
  readonly vagrantfile: string;
  /** The machine list the Vagrantfile reads. */
  readonly machinesJson: string;
  /** Every extra file, by the name it was given under. */
  readonly files: Readonly<Record<string, string>>;
}

// User-data carries private keys and bootstrap tokens: readable by the owner only. The
// Vagrantfile and machine list hold nothing secret.
const SECRET_MODE = 0o600;
const PUBLIC_MODE = 0o644;

/**
 * Writes a Vagrant project: the extra `files` (each machine's user-data, at least), then
 * `machines.json`, then the Vagrantfile, each atomically. In that order a Vagrantfile on disk
 * never points at a machine list or user-data that is not there yet, and a crash halfway
 * leaves the previous project usable.
 *
 * @throws HakocError `HAKOC_VAGRANT_LAYOUT_INVALID` when the layout has problems, a file name
 *   is not a plain name, or a machine's user-data is missing from `files`
 */
export async function writeVagrantProject(
  dir: string,
  layout: VagrantClusterLayout,
  files: VagrantProjectFiles = {},
): Promise<VagrantProjectPaths> {
  assertValidLayout(layout);
  checkFiles(layout, files);
  const root = resolve(dir);
  // 0700: the directory holds secrets; mode only applies to directories created here.
  await mkdir(root, { recursive: true, mode: 0o700 });
  const written: Record<string, string> = {};
  for (const [name, content] of Object.entries(files).sort(([a], [b]) => a.localeCompare(b))) {
    written[name] = join(root, name);
    await writeFileAtomic(join(root, name), content, SECRET_MODE);
  }
  const machinesJson = join(root, 'machines.json');
  await writeFileAtomic(machinesJson, renderMachinesJson(layout), PUBLIC_MODE);
  const vagrantfile = join(root, 'Vagrantfile');
  await writeFileAtomic(vagrantfile, await readVagrantfileTemplate(), PUBLIC_MODE);
  return { dir: root, vagrantfile, machinesJson, files: written };
}

function checkFiles(layout: VagrantClusterLayout, files: VagrantProjectFiles): void {
  const problems = Object.keys(files)
    .filter((name) => !isProjectFileName(name))
    .map((name) => `file name ${JSON.stringify(name)} is not a plain file name`);
  for (const machine of layout.machines) {
    if (machine.userData !== undefined && !Object.hasOwn(files, machine.userData)) {
      problems.push(
        `user-data ${JSON.stringify(machine.userData)} of ${JSON.stringify(machine.name)} is not among the files`,
      );
    }
  }
  if (problems.length === 0) return;
  throw new HakocError(
    LAYOUT_INVALID_CODE,
    `Cannot write the Vagrant project: ${problems.join('; ')}`,
    {
      hint: "Pass every machine's user-data in files, under the plain name the machine refers to.",
    },
  );
}
