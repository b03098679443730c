import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { asError } from './as-error.js';
import { emitterFor } from './emitter.js';
import type { EngineOperation } from './events.js';
import { LockedError } from './lock-error.js';
import type { LockRecord, PendingLock } from './lock-store.js';
import { neverAborted } from './never-aborted.js';
import type { EngineOptions, ExecutionOptions } from './options.js';
import { checkEngineOptions } from './options-schema.js';
import type { Owner } from './owner.js';
import type { Provider } from './provider.js';
import { isProviderError, ProviderError } from './provider-error.js';
import type { ProviderContext } from './resource-type.js';
import { callWithRetry } from './retry.js';

/** The part of a provider the lock needs. */
export type LockProvider = Pick<Provider<never>, 'name' | 'lock'>;

// Releasing must work after the caller aborted, so it gets its own, bounded, signal.
const releaseTimeoutMs = 60_000;
// How often a lock whose confirmation failed for a passing reason is taken again.
const maxConfirmAttempts = 5;

/** What a lock is taken for. */
export interface LockRequest {
  /** What the holder is about to do. */
  readonly operation: EngineOperation;
  /** The fingerprint of the plan it applies, when there is one. */
  readonly fingerprint?: string;
}

/** The lock as the work under it sees it. */
export interface HeldLock {
  /**
   * Records that the work now applies the plan with `fingerprint` (after a replan), where the
   * lock store can update a lock in place; elsewhere the lock keeps the first fingerprint.
   */
  setFingerprint(fingerprint: string): Promise<void>;
}

/**
 * Runs `work` holding the cluster lock, and releases it afterwards whatever happened. A release
 * that fails after the work succeeded does not lose the work's result: it is reported as a
 * `lock.release-failed` event.
 *
 * @throws LockedError when another holder has the lock.
 */
export function withClusterLock<T>(
  provider: LockProvider,
  owner: Owner,
  request: LockRequest,
  options: ExecutionOptions,
  work: (lock: HeldLock) => Promise<T>,
): Promise<T>;
/**
 * The same, where `prepare` (reads only: it must change nothing) starts as soon as the lock
 * store accepted the lock and runs while the store confirms it; `work` gets its result once both
 * are done.
 *
 * @throws LockedError when another holder has the lock.
 */
export function withClusterLock<T, P>(
  provider: LockProvider,
  owner: Owner,
  request: LockRequest,
  options: ExecutionOptions,
  work: (lock: HeldLock, prepared: P) => Promise<T>,
  prepare: () => Promise<P>,
): Promise<T>;
export async function withClusterLock<T, P>(
  provider: LockProvider,
  owner: Owner,
  request: LockRequest,
  options: ExecutionOptions,
  work: (lock: HeldLock, prepared: P | undefined) => Promise<T>,
  prepare?: () => Promise<P>,
): Promise<T> {
  const emit = emitterFor(options.onEvent);
  let record: LockRecord = {
    id: randomUUID(),
    holder: options.holder ?? `${hostname()}:${process.pid}`,
    operation: request.operation,
    ...(request.fingerprint === undefined ? {} : { fingerprint: request.fingerprint }),
    acquiredAt: new Date().toISOString(),
  };
  const ctx = { owner, signal: options.signal ?? neverAborted() };
  const acquiring = await acquire(provider, ctx, record, options);
  // Reading while the store confirms is safe: the lock was accepted before the read started, so
  // nobody else can change the cluster after it unless the confirmation fails, and then the
  // read is thrown away (or done again when the lock had to be taken again).
  let preparing = prepare?.();
  preparing?.catch(() => {});
  if (await acquiring.retaken) preparing = prepare?.();
  emit({ type: 'lock.acquired', cluster: owner.cluster, holder: record.holder });
  const update = provider.lock.update?.bind(provider.lock);
  const held: HeldLock = {
    setFingerprint: async (fingerprint) => {
      if (update === undefined) return;
      const changed = { ...record, fingerprint };
      await lockCall(provider, options, () => update(ctx, changed), ctx.signal);
      record = changed;
    },
  };
  let result: T;
  try {
    result = await work(held, await preparing);
  } catch (error) {
    // The work's failure is the news; a lock left behind shows up on the next run.
    const released = await release(provider, owner, record, options).then(
      () => true,
      () => false,
    );
    if (released) emit({ type: 'lock.released', cluster: owner.cluster, holder: record.holder });
    throw error;
  }
  try {
    await release(provider, owner, record, options);
    emit({ type: 'lock.released', cluster: owner.cluster, holder: record.holder });
  } catch (error) {
    // The cloud already matches: failing the call now would hide that behind a lock error.
    emit({
      type: 'lock.release-failed',
      cluster: owner.cluster,
      holder: record.holder,
      error: asError(error),
    });
  }
  return result;
}

/** The cluster lock of `owner`, if someone holds it. */
export async function readLock(
  owner: Owner,
  provider: LockProvider,
  options: EngineOptions = {},
): Promise<LockRecord | undefined> {
  checkEngineOptions(options);
  const ctx = { owner, signal: options.signal ?? neverAborted() };
  return lockCall(provider, options, () => provider.lock.read(ctx), ctx.signal);
}

/**
 * Removes the cluster lock whoever holds it: for a lock left by a process that died. Make sure
 * its holder is really gone first. Returns the lock it removed.
 */
export async function breakLock(
  owner: Owner,
  provider: LockProvider,
  options: EngineOptions = {},
): Promise<LockRecord | undefined> {
  const ctx = { owner, signal: options.signal ?? neverAborted() };
  const held = await readLock(owner, provider, options);
  if (held !== undefined)
    await lockCall(provider, options, () => provider.lock.delete(ctx, held), ctx.signal);
  return held;
}

/** A lock the store accepted; `retaken` settles once it is held. */
interface Acquisition {
  /** True when the first acceptance failed to confirm and the lock was taken again after it. */
  readonly retaken: Promise<boolean>;
}

/**
 * Creates the lock: resolves once the store accepted it, with the confirmation still to come
 * (already settled for a store without `begin`).
 */
async function acquire(
  provider: LockProvider,
  ctx: ProviderContext,
  record: LockRecord,
  options: EngineOptions,
  firstAttempt = 1,
): Promise<Acquisition> {
  const store = provider.lock;
  const begin = async (): Promise<PendingLock> => {
    if (store.begin !== undefined) return store.begin(ctx, record);
    await store.create(ctx, record);
    return { confirmed: Promise.resolve() };
  };
  // A conflict followed by an empty read means the holder released in between: try again, a
  // few times only.
  for (let attempt = firstAttempt; ; attempt += 1) {
    let pending: PendingLock;
    try {
      pending = await lockCall(provider, options, begin, ctx.signal);
    } catch (error) {
      if (await ownsAfterFailedCreate(provider, ctx, record, options, error, attempt, false)) {
        return { retaken: Promise.resolve(false) };
      }
      continue;
    }
    const retaken = pending.confirmed.then(
      () => false,
      async (error: unknown) => {
        if (await ownsAfterFailedCreate(provider, ctx, record, options, error, attempt, true)) {
          return false;
        }
        await (await acquire(provider, ctx, record, options, attempt + 1)).retaken;
        return true;
      },
    );
    return { retaken };
  }
}

/**
 * After a create failed: true when the lock is ours all the same (its answer was lost), false
 * when another attempt is worth it (the holder released in between, or the store's
 * confirmation failed for a passing reason: there the store's own call is not retried); throws
 * otherwise.
 */
async function ownsAfterFailedCreate(
  provider: LockProvider,
  ctx: ProviderContext,
  record: LockRecord,
  options: EngineOptions,
  error: unknown,
  attempt: number,
  confirming: boolean,
): Promise<boolean> {
  // Read back under a signal of its own: a caller who aborted just as the create landed must
  // not leave the lock behind because the read that finds it was aborted too.
  const readBack = { owner: ctx.owner, signal: AbortSignal.timeout(releaseTimeoutMs) };
  const held = await lockCall(
    provider,
    options,
    () => provider.lock.read(readBack),
    readBack.signal,
  ).catch(() => {
    throw error;
  });
  // The create took effect but its answer was lost: the lock is ours. After an abort it is
  // released again at once, so the abort is what the caller sees.
  if (held?.id === record.id) {
    if (ctx.signal.aborted) {
      await release(provider, ctx.owner, record, options);
      throw error;
    }
    return true;
  }
  if (confirming && isProviderError(error) && error.retryable && error.reason !== 'conflict') {
    if (attempt >= maxConfirmAttempts) throw error;
    return false;
  }
  if (!isProviderError(error) || error.reason !== 'conflict') throw error;
  if (held !== undefined) throw new LockedError(ctx.owner.cluster, held);
  if (attempt >= 3) throw error;
  return false;
}

async function release(
  provider: LockProvider,
  owner: Owner,
  record: LockRecord,
  options: EngineOptions,
): Promise<void> {
  const ctx = { owner, signal: AbortSignal.timeout(releaseTimeoutMs) };
  // Someone may have broken our lock and hold a new one: the store removes only ours (same id),
  // so no read of our own comes first (it would add a round trip to every apply).
  await lockCall(provider, options, () => provider.lock.delete(ctx, record), ctx.signal);
}

function lockCall<T>(
  provider: LockProvider,
  options: EngineOptions,
  call: () => Promise<T>,
  signal: AbortSignal,
): Promise<T> {
  return callWithRetry(call, {
    policy: options.retry,
    signal,
    classify: (cause) =>
      new ProviderError('A cluster lock call failed.', {
        provider: provider.name,
        operation: 'lock',
        cause,
      }),
  });
}
