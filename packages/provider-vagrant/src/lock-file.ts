import { mkdir, open, readFile, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { type LockRecord, type LockStore, ProviderError } from '@hakoc/core';
import { PROJECT_FILES } from './project-store.js';
import { VAGRANT_PROVIDER_NAME } from './provider-error.js';

/**
 * The cluster lock as a file in the project directory (`hakoc.lock`). Taking it creates the
 * file with `O_CREAT | O_EXCL`, which the kernel makes atomic: of two processes, exactly one
 * creates it and the other gets `EEXIST`. The file holds the {@link LockRecord} as JSON.
 */
export function createLockFileStore(dir: string): LockStore {
  const path = join(resolve(dir), PROJECT_FILES.lock);
  const read = async (): Promise<LockRecord | undefined> => {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw lockError(`cannot read ${path}`, error);
    }
    try {
      return JSON.parse(text) as LockRecord;
    } catch {
      // A holder that died between creating and writing the file leaves it empty or cut
      // short: still a lock, shown as held by an unknown holder so a person decides to break it.
      return {
        id: `unreadable-lock-file:${text.length}`,
        holder: 'unknown (unreadable lock file)',
        operation: 'apply',
        acquiredAt: new Date(0).toISOString(),
      };
    }
  };
  return {
    read: () => read(),
    async create(_ctx, lock) {
      await mkdir(resolve(dir), { recursive: true, mode: 0o700 });
      let handle: Awaited<ReturnType<typeof open>>;
      try {
        handle = await open(path, 'wx', 0o600);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
          throw new ProviderError(`The cluster lock ${path} is held`, {
            provider: VAGRANT_PROVIDER_NAME,
            operation: 'lock',
            reason: 'conflict',
            cause: error,
          });
        }
        throw lockError(`cannot create ${path}`, error);
      }
      try {
        await handle.writeFile(`${JSON.stringify(lock)}\n`);
        await handle.sync();
      } finally {
        await handle.close();
      }
    },
    async delete(_ctx, lock) {
      const held = await read();
      // Only the lock asked for: a newer holder's lock is theirs.
      if (held === undefined || held.id !== lock.id) return;
      await rm(path, { force: true });
    },
  };
}

function lockError(message: string, cause: unknown): ProviderError {
  return new ProviderError(`The cluster lock: ${message}`, {
    provider: VAGRANT_PROVIDER_NAME,
    operation: 'lock',
    reason: 'permission',
    cause,
  });
}
