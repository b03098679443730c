import { chmod, lstat, readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { storeLayout } from './store-layout.js';

/**
 * Narrows the key store's existing folders to 0700 and files to 0600 where group or others
 * have any access, and returns what it changed (store-relative, the store itself as `.`).
 *
 * Like ssh with `~/.ssh`: a copy, an archive extraction or a umask can widen them, and the
 * keys are only as safe as the passphrase once others can read the files. ssh refuses to go
 * on; the store is ours, so it narrows them and reports it. Symbolic links are left alone (and
 * never followed): the store never makes one.
 */
export async function tightenPermissions(dir: string): Promise<string[]> {
  const changed: string[] = [];
  const tighten = async (path: string, isDirectory: boolean) => {
    const mode = (await lstat(path)).mode & 0o777;
    if ((mode & 0o077) === 0) return;
    await chmod(path, isDirectory ? 0o700 : 0o600);
    changed.push(relative(dir, path) || '.');
  };
  await tighten(dir, true);
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  for (const entry of entries) {
    const path = join(entry.parentPath, entry.name);
    if (relative(dir, path).split('/')[0] === storeLayout.lock) continue;
    if (entry.isDirectory()) await tighten(path, true);
    else if (entry.isFile()) await tighten(path, false);
  }
  return changed.sort();
}
