import { HakocError, isHakocError } from '@hakoc/certs';
import type { LockRecord } from './lock-store.js';

/** The stable code of a cluster whose lock someone else holds. */
export const LOCKED_CODE = 'HAKOC_LOCKED';

/** Another apply or destroy holds the cluster lock. */
export class LockedError extends HakocError {
  /** The lock that is in the way. */
  readonly lock: LockRecord;

  constructor(cluster: string, lock: LockRecord) {
    super(
      LOCKED_CODE,
      `Cluster "${cluster}" is locked by ${lock.holder} (${lock.operation} since ${lock.acquiredAt}).`,
      {
        hint: 'Wait for it to finish. If that process is gone, break the lock explicitly: `hakoc lock break SPEC` (breakLock in the SDK).',
      },
    );
    this.name = 'LockedError';
    this.lock = lock;
  }
}

/** True for a {@link LockedError} from any copy of `@hakoc/core`. */
export function isLockedError(error: unknown): error is LockedError {
  return isHakocError(error) && error.code === LOCKED_CODE;
}
