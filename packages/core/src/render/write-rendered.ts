import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { HakocError } from '@hakoc/certs';
import type { RenderedCluster } from './render-cluster.js';

/**
 * Writes a rendered cluster under `dir`. Configs hold keys and tokens, so every file is 0600
 * and every folder 0700; see {@link writeFilesUnder}.
 */
export async function writeRenderedCluster(dir: string, rendered: RenderedCluster): Promise<void> {
  await writeFilesUnder(dir, rendered.files);
}

/**
 * Writes files (relative path → contents) under `dir`, refusing any path that would leave it.
 * Each file is written to a temporary name and renamed, so a crash never leaves a half-written
 * config a machine could boot from. Files are 0600 and new folders 0700: rendered output holds
 * keys and tokens.
 */
export async function writeFilesUnder(
  dir: string,
  files: ReadonlyMap<string, string | Uint8Array>,
): Promise<void> {
  const root = resolve(dir);
  for (const [path, contents] of files) {
    const target = resolve(root, path);
    if (!target.startsWith(`${root}${sep}`)) {
      throw new HakocError('HAKOC_RENDER_PATH', `${path} would be written outside ${root}`);
    }
    await mkdir(dirname(target), { recursive: true, mode: 0o700 });
    const temporary = join(dirname(target), `.${randomBytes(6).toString('hex')}.tmp`);
    try {
      await writeFile(temporary, contents, { mode: 0o600 });
      await rename(temporary, target);
    } catch (cause) {
      await rm(temporary, { force: true });
      throw new HakocError('HAKOC_RENDER_WRITE', `cannot write ${target}`, { cause });
    }
  }
}
