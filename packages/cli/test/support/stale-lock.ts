import type { LockRecord } from '@hakoc/core';

/** A lock as `host:pid` 4242 of a dead apply would have left it. */
export const STALE_LOCK: LockRecord = {
  id: '3f0c2a9e-6f1b-4c7e-9a55-0d6f8e2b1c11',
  holder: 'build-agent-7:4242',
  operation: 'apply',
  acquiredAt: '2026-11-27T06:00:00.000Z',
};
