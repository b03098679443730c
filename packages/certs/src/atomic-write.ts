import { randomBytes } from 'node:crypto';
import { open, readdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';

const tempSuffix = /\.(\d+)\.[0-9a-f]{12}\.tmp$/;

/** A temporary file older than this is removed even if its pid is alive: after a reboot the
 * pid may belong to an unrelated process, and no write takes a day. */
const abandonedAfterMs = 24 * 60 * 60 * 1000;

/** Whether a process with this pid exists on this machine. */
function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as { code?: unknown }).code === 'EPERM';
  }
}

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

/**
 * Removes temporary files a crashed {@link writeFileAtomic} left in `directory`: only those
 * whose writer (the pid in the name) is gone, or that are a day old, so a write still in
 * progress in another process is never pulled from under it.
 */
export async function removeStaleTempFiles(directory: string, now = Date.now()): Promise<void> {
  const entries = await readdir(directory, { withFileTypes: true });
  await Promise.all(
    entries.map(async (entry) => {
      const pid = entry.isFile() ? tempSuffix.exec(entry.name)?.[1] : undefined;
      if (pid === undefined) return;
      const path = join(directory, entry.name);
      const info = await stat(path).catch(() => undefined);
      if (info === undefined) return;
      if (processExists(Number(pid)) && now - info.mtimeMs < abandonedAfterMs) return;
      await rm(path, { force: true });
    }),
  );
}

/**
 * Removes a file, if it is there, and flushes its directory so that the removal survives a
 * power cut: a removal that commits a change must not come back after a crash.
 */
export async function removeDurably(path: string): Promise<void> {
  await rm(path, { force: true });
  const directory = await open(dirname(path), 'r');
  try {
    await directory.sync();
  } finally {
    await directory.close();
  }
}
