import { HakocError } from '@hakoc/certs';
import type {
  BootConfig,
  BootConfigPart,
  BootFile,
  BootRemoteFile,
  BootUnit,
} from './boot-config.js';

/** A module's contribution, named so a conflict can say which two modules collided. */
export interface NamedBootConfigPart {
  /** The module's name, e.g. `etcd-member`. */
  readonly module: string;
  /** What it contributes. */
  readonly part: BootConfigPart;
}

/**
 * Joins the parts of a role into one {@link BootConfig}, sorted by path and unit name so the
 * rendered output is byte-identical for the same input.
 *
 * @throws HakocError `HAKOC_BOOT_CONFLICT` when two modules write the same path or unit:
 *   a silent overwrite would hide a real bug in one of them.
 */
export function composeBootConfig(parts: readonly NamedBootConfigPart[]): BootConfig {
  const files = new Map<string, { module: string; file: BootFile }>();
  const remoteFiles = new Map<string, { module: string; file: BootRemoteFile }>();
  const units = new Map<string, { module: string; unit: BootUnit }>();
  for (const { module, part } of parts) {
    for (const file of [...(part.files ?? []), ...(part.remoteFiles ?? [])]) {
      if (!file.path.startsWith('/')) {
        throw new HakocError(
          'HAKOC_BOOT_RELATIVE_PATH',
          `module ${module} writes a relative path`,
          {
            hint: `use an absolute path instead of "${file.path}"`,
          },
        );
      }
      // One path space for written and fetched files: they must not collide either.
      const earlier = files.get(file.path) ?? remoteFiles.get(file.path);
      if (earlier) throw conflict('file', file.path, earlier.module, module);
      if ('url' in file) remoteFiles.set(file.path, { module, file });
      else files.set(file.path, { module, file });
    }
    for (const unit of part.units ?? []) {
      const earlier = units.get(unit.name);
      if (earlier) throw conflict('unit', unit.name, earlier.module, module);
      units.set(unit.name, { module, unit });
    }
  }
  const fetched = [...remoteFiles.values()]
    .map((entry) => entry.file)
    .sort((a, b) => compare(a.path, b.path));
  return {
    files: [...files.values()].map((entry) => entry.file).sort((a, b) => compare(a.path, b.path)),
    units: [...units.values()].map((entry) => entry.unit).sort((a, b) => compare(a.name, b.name)),
    ...(fetched.length > 0 ? { remoteFiles: fetched } : {}),
  };
}

function conflict(kind: string, name: string, first: string, second: string): HakocError {
  return new HakocError(
    'HAKOC_BOOT_CONFLICT',
    `modules ${first} and ${second} both write the ${kind} ${name}`,
    { hint: 'each path and unit must belong to exactly one module' },
  );
}

// Plain code-unit order: locale-independent, so output never depends on the machine.
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
