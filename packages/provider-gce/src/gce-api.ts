import { setTimeout as sleep } from 'node:timers/promises';
import type { ProviderErrorReason } from '@hakoc/core';
import { type BorrowedClients, borrowClients } from './client-pool.js';
import type { ClientSettings, ComputeClients } from './compute-clients.js';
import { type ErrorSite, gceError, gceFailure } from './gce-errors.js';
import { lastSegment, type Operation, operationOf } from './operation.js';
import { RateLimiter } from './rate-limiter.js';

/** How the provider talks to one project and region. */
export interface GceApiSettings extends ClientSettings {
  /** The project every call goes to. */
  readonly project: string;
  /** The region of every regional call. */
  readonly region: string;
  /** Longest wait for one operation, in milliseconds. */
  readonly operationTimeoutMs: number;
  /** Request starts per second across all calls (0: no limit). */
  readonly requestsPerSecond: number;
}

// Operation codes GCE reports in `operation.error.errors[].code`.
const OPERATION_REASONS: Readonly<Record<string, ProviderErrorReason>> = {
  RESOURCE_NOT_READY: 'not-ready',
  RESOURCE_IN_USE_BY_ANOTHER_RESOURCE: 'in-use',
  INTERNAL_ERROR: 'unavailable',
  RATE_LIMIT_EXCEEDED: 'rate-limited',
  QUOTA_EXCEEDED: 'invalid',
  ALREADY_EXISTS: 'conflict',
  RESOURCE_ALREADY_EXISTS: 'conflict',
  RESOURCE_NOT_FOUND: 'not-found',
  NOT_FOUND: 'not-found',
};

const WAIT_RETRY_DELAY_MS = 50;
const MAX_WAIT_ROUNDS = 10_000;

/**
 * The provider's door to GCE: loads the clients on first use, spaces requests, maps every error
 * to a `ProviderError` and waits on every mutation's operation.
 */
export class GceApi {
  readonly project: string;
  readonly region: string;
  readonly #settings: GceApiSettings;
  readonly #limiter: RateLimiter;
  #borrowed: BorrowedClients | undefined;

  constructor(settings: GceApiSettings) {
    this.#settings = settings;
    this.project = settings.project;
    this.region = settings.region;
    this.#limiter = new RateLimiter(settings.requestsPerSecond);
  }

  /** The clients, loaded on first use (or shared with another provider of the same settings). */
  clients(): Promise<ComputeClients> {
    this.#borrowed ??= borrowClients(this.#settings);
    return this.#borrowed.clients;
  }

  /** True once the clients were loaded (for tests of the lazy loading). */
  get loaded(): boolean {
    return this.#borrowed !== undefined;
  }

  /** Runs one read call; its errors become `ProviderError`s. */
  async call<T>(
    site: ErrorSite,
    signal: AbortSignal,
    fn: (clients: ComputeClients) => Promise<T>,
  ): Promise<T> {
    signal.throwIfAborted();
    await this.#limiter.take(signal);
    try {
      return await untilAborted(
        signal,
        this.clients().then((clients) => fn(clients)),
      );
    } catch (error) {
      if (signal.aborted && error === signal.reason) throw error;
      throw gceError(error, site);
    }
  }

  /**
   * Starts a compute mutation and waits for its operation, at most the operation timeout.
   * Throws the operation's own error when it failed.
   */
  async mutate(
    site: ErrorSite,
    signal: AbortSignal,
    fn: (clients: ComputeClients) => Promise<unknown>,
  ): Promise<Operation> {
    return this.wait(site, signal, await this.start(site, signal, fn));
  }

  /**
   * Starts a compute mutation and returns its operation as GCE accepted it, without waiting:
   * for the caller to {@link wait} on later, or never.
   */
  start(
    site: ErrorSite,
    signal: AbortSignal,
    fn: (clients: ComputeClients) => Promise<unknown>,
  ): Promise<Operation> {
    return this.call(site, signal, (clients) => operationOf(fn(clients)));
  }

  /** Waits until `operation` is done; retryable failures of the wait call itself are retried. */
  async wait(site: ErrorSite, signal: AbortSignal, operation: Operation): Promise<Operation> {
    const deadline = Date.now() + this.#settings.operationTimeoutMs;
    let current = operation;
    for (let round = 0; current.status !== 'DONE'; round++) {
      if (Date.now() > deadline || round > MAX_WAIT_ROUNDS) {
        throw gceFailure(
          `${site.resource ?? 'GCE'}: operation ${current.name ?? ''} did not finish within ${this.#settings.operationTimeoutMs} ms.`,
          site,
          'timeout',
        );
      }
      // GCE's wait answers after at most two minutes; never let one outlast the deadline.
      const remainingMs = Math.max(1, deadline - Date.now());
      try {
        current = await this.call(site, signal, (clients) =>
          this.#waitOnce(clients, current, remainingMs),
        );
      } catch (error) {
        if (signal.aborted) throw signal.reason;
        const mapped = gceError(error, site);
        if (!mapped.retryable) throw mapped;
        await sleep(WAIT_RETRY_DELAY_MS, undefined, { signal });
      }
    }
    const errors = current.error?.errors ?? [];
    if (errors.length > 0) {
      const code = errors[0]?.code ?? '';
      const message = errors.map((e) => `${e.code ?? ''}: ${e.message ?? ''}`).join('; ');
      throw gceFailure(
        `${site.resource ?? 'GCE'}: operation ${current.operationType ?? ''} failed: ${message}`,
        site,
        OPERATION_REASONS[code] ?? 'unknown',
        undefined,
        // A failed operation changed nothing; GCE would answer its request id with it again.
        true,
      );
    }
    return current;
  }

  async #waitOnce(
    clients: ComputeClients,
    operation: Operation,
    timeoutMs: number,
  ): Promise<Operation> {
    const request = { project: this.project, operation: operation.name ?? '' };
    const options = { timeout: timeoutMs };
    if (operation.zone) {
      const [next] = await clients.zoneOperations.wait(
        { ...request, zone: lastSegment(operation.zone) },
        options,
      );
      return next;
    }
    if (operation.region) {
      const [next] = await clients.regionOperations.wait(
        { ...request, region: lastSegment(operation.region) },
        options,
      );
      return next;
    }
    const [next] = await clients.globalOperations.wait(request, options);
    return next;
  }

  /** Gives the clients back, if they were loaded; the last provider using them closes them. */
  async close(): Promise<void> {
    const borrowed = this.#borrowed;
    this.#borrowed = undefined;
    await borrowed?.release();
  }
}

/**
 * `work`, or the signal's reason as soon as it aborts: the clients take no signal, and a wait on
 * a GCE operation can last minutes. What was sent still happens; the next plan sees it, and a
 * resent insert carries the same request id.
 */
async function untilAborted<T>(signal: AbortSignal, work: Promise<T>): Promise<T> {
  if (signal.aborted) throw signal.reason;
  let onAbort = () => {};
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([work, aborted]);
  } finally {
    signal.removeEventListener('abort', onAbort);
    work.catch(() => {});
  }
}
