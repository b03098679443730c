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
   * Replaces the record of a lock the caller holds (same `id`) with `lock`, for example to
   * record a new plan fingerprint after a replan. Optional: without it the lock keeps its first
   * record.
   */
  update?(ctx: ProviderContext, lock: LockRecord): Promise<void>;
  /** Removes `lock`. A lock that is already gone is not an error. */
  delete(ctx: ProviderContext, lock: LockRecord): Promise<void>;
}
