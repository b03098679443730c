import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import lockfile from 'proper-lockfile';
import { HakocError } from './errors.js';
import { storeLayout } from './store-layout.js';

/** A held key-store lock. */
export interface StoreLock {
  /** Throws `HAKOC_KEYSTORE_LOCKED` if the lock was lost (another run took it over). */
  readonly assertHeld: () => void;
  /** Releases it; never throws. */
  readonly release: () => Promise<void>;
}

/**
 * How long a lock may go without its holder refreshing it before another run takes it over:
 * a crashed run's lock is stale after this. The holder refreshes it every `staleMs / 4`, from a
 * timer, which the run never blocks for long (key derivation and generation are off the loop).
 */
const staleMs = 10_000;

function locked(dir: string, cause?: unknown): HakocError {
  return new HakocError('HAKOC_KEYSTORE_LOCKED', `Another run is using the key store ${dir}`, {
    cause,
    hint:
      `Wait for the other hakoc run to finish and try again. A lock a crashed run left ` +
      `(${join(dir, storeLayout.lock)}) is taken over ${staleMs / 1000} s after it stopped.`,
  });
}

/**
 * Takes the key store's exclusive lock, waiting up to `waitMs` for another run to let go.
 *
 * `proper-lockfile` makes the lock a directory (`mkdir` is atomic on every file system,
 * network ones included) and keeps its mtime fresh while held, so a lock whose holder died is
 * recognised by age, across machines sharing the folder — where a pid would mean nothing.
 */
export async function lockStore(dir: string, waitMs: number): Promise<StoreLock> {
  const deadline = Date.now() + waitMs;
  let compromised: Error | undefined;
  let delayMs = 50;
  for (;;) {
    try {
      const release = await lockfile.lock(dir, {
        lockfilePath: join(dir, storeLayout.lock),
        realpath: false,
        stale: staleMs,
        update: staleMs / 4,
        retries: 0,
        onCompromised: (error) => {
          compromised = error;
        },
      });
      return {
        assertHeld: () => {
          if (compromised !== undefined) throw locked(dir, compromised);
        },
        release: () => release().catch(() => undefined),
      };
    } catch (error) {
      if ((error as { code?: unknown }).code !== 'ELOCKED') {
        throw new HakocError('HAKOC_KEYSTORE_IO', `Cannot lock the key store ${dir}`, {
          cause: error,
          hint: 'Check that the folder exists and is writable by you.',
        });
      }
      if (Date.now() + delayMs > deadline) throw locked(dir, error);
      await sleep(delayMs);
      delayMs = Math.min(delayMs * 2, 500);
    }
  }
}
