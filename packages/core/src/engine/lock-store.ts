import type { ProviderContext } from './resource-type.js';

/** The content of a cluster lock: who holds it, since when, for what. */
export interface LockRecord {
  /** Random per acquisition, so a holder releases only its own lock. */
  readonly id: string;
  /** Who holds it, by default `<hostname>:<pid>`. */
  readonly holder: string;
  /** What the holder is doing. */
  readonly operation: 'apply' | 'destroy';
  /** The fingerprint of the plan being applied, when there is one. */
  readonly fingerprint?: string;
  /** When it was taken, ISO 8601. */
  readonly acquiredAt: string;
}

/** A lock the store accepted and has yet to confirm (see {@link LockStore.begin}). */
export interface PendingLock {
  /** Resolves once the lock is certainly held; rejects as `create` would have thrown. */
  readonly confirmed: Promise<void>;
}

/**
 * Where a provider keeps the cluster lock: one labelled marker object per cluster (a labelled
 * metadata entry, a bucket object, a file next to the Vagrantfile). Two applies on one cluster
 * cannot run at once because `create` is atomic.
 */
export interface LockStore {
  /** The lock of `ctx.owner`, if one is held. */
  read(ctx: ProviderContext): Promise<LockRecord | undefined>;
  /**
   * Takes the lock. Must be atomic: when a lock already exists, throw a {@link ProviderError}
   * with reason `conflict`.
   */
  create(ctx: ProviderContext, lock: LockRecord): Promise<void>;
  /**
   * Optional, quicker `create` for stores whose create is a long-running operation: returns as
   * soon as the store accepted the lock (from then on no other holder can take it, unless
   * `confirmed` rejects), or throws as `create` would. The engine reads what exists while the
   * store confirms, and changes nothing before `confirmed` resolves.
   */
  begin?(ctx: ProviderContext, lock: LockRecord): Promise<PendingLock>;
  /**
   * Replaces the record of a lock the caller holds (same `id`) with `lock`, for example to
   * record a new plan fingerprint after a replan. Optional: without it the lock keeps its first
   * record.
   */
  update?(ctx: ProviderContext, lock: LockRecord): Promise<void>;
  /**
   * Removes `lock` if it is still the one held (same `id`); a lock that is already gone, or that
   * another holder took after breaking this one, is left alone without an error. The engine
   * releases through this alone, without reading first. A store may return once the removal has
   * started, as long as `read` then finds no lock and `create` waits for the removal to finish.
   */
  delete(ctx: ProviderContext, lock: LockRecord): Promise<void>;
}
