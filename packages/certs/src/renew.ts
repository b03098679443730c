import { type KeyStoreOptions, type KeyStoreResult, syncKeyStore } from './key-store.js';
import type { PkiRequest } from './request.js';

/** Options for {@link renewLeaves}. */
export interface RenewLeavesOptions extends KeyStoreOptions {
  /**
   * Renew only leaves (and the bootstrap token) that expire within this many days of `now`;
   * renew every leaf when absent.
   */
  readonly withinDays?: number;
}

const dayMs = 24 * 60 * 60 * 1000;

/**
 * Re-issues leaf certificates in the key store with their existing keys and a fresh validity
 * period, and replaces the bootstrap token when it is due. CAs are never renewed here. Like
 * `loadOrCreatePki` it checks the whole store first and writes nothing on an error; it also
 * applies any change in the request. The renewed leaves are the `renewed` entries of
 * `changes`; machines pick them up when they are rolled.
 */
export function renewLeaves(
  dir: string,
  request: PkiRequest,
  options: RenewLeavesOptions,
): Promise<KeyStoreResult> {
  const now = options.now ?? new Date();
  const { withinDays } = options;
  const due = (notAfter: Date) =>
    withinDays === undefined || notAfter.getTime() - now.getTime() <= withinDays * dayMs;
  return syncKeyStore(
    dir,
    request,
    { ...options, now },
    {
      renew: (_id, certificate) => due(certificate.notAfter),
      renewToken: due,
    },
  );
}
