import { randomBytes } from 'node:crypto';
import { open, readdir, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';

const tempSuffix = /\.\d+\.[0-9a-f]{12}\.tmp$/;

/**
 * Writes a file so that, whatever happens, it holds either its old content or its complete
 * new content: the data goes to a temporary file beside it (created with `mode`, never wider),
 * is flushed to disk, then renamed over the target, and the directory is flushed so the rename
 * survives a power cut too.
 */
export async function writeFileAtomic(path: string, data: string, mode = 0o600): Promise<void> {
  const temp = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    const file = await open(temp, 'wx', mode);
    try {
      await file.writeFile(data, 'utf8');
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  const directory = await open(dirname(path), 'r');
  try {
    await directory.sync();
  } finally {
    await directory.close();
  }
}

/** Removes temporary files a crashed {@link writeFileAtomic} left in `directory`. */
export async function removeStaleTempFiles(directory: string): Promise<void> {
  const entries = await readdir(directory, { withFileTypes: true });
  await Promise.all(
    entries
      .filter((entry) => entry.isFile() && tempSuffix.test(entry.name))
      .map((entry) => rm(join(directory, entry.name), { force: true })),
  );
}
