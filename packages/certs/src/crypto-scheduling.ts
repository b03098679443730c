import { availableParallelism } from 'node:os';
import PQueue from 'p-queue';

/**
 * How PKI work is spread so it never stalls the event loop for long.
 *
 * - Key generation runs on libuv's thread pool; at most one job per core but one runs at
 *   once, so the main thread keeps a core (with RSA, four pool threads on two cores starved
 *   it for 20–40 ms at a time).
 * - Building or checking a certificate is a few milliseconds of JavaScript (ASN.1 in
 *   `@peculiar/x509`). Certificates are handled one at a time, each from a fresh event-loop
 *   turn; started together, their continuations would pile up in one turn and block it for the
 *   sum of them (measured: 75 ms for a P-256 PKI, before this).
 */
export interface CryptoScheduler {
  /** Runs key generation with bounded concurrency. */
  readonly generate: <T>(task: () => Promise<T>) => Promise<T>;
  /** Runs certificate work one at a time, each starting on a new event-loop turn. */
  readonly build: <T>(task: () => Promise<T>) => Promise<T>;
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A scheduler for one PKI run. */
export function createCryptoScheduler(): CryptoScheduler {
  const keys = new PQueue({ concurrency: Math.max(1, availableParallelism() - 1) });
  const certificates = new PQueue({ concurrency: 1 });
  return {
    generate: (task) => keys.add(task),
    build: (task) =>
      certificates.add(async () => {
        await nextTurn();
        return task();
      }),
  };
}
