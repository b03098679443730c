import { type ClientSettings, type ComputeClients, loadComputeClients } from './compute-clients.js';

/** Clients borrowed from the pool; `release` once done with them. */
export interface BorrowedClients {
  /** The clients (loaded on the first borrow of their settings). */
  readonly clients: Promise<ComputeClients>;
  /** Gives them back; the last borrower closes them. Idempotent. */
  release(): Promise<void>;
}

interface Entry {
  readonly clients: Promise<ComputeClients>;
  borrowers: number;
}

// Each compute client costs tens of milliseconds to construct (google-gax re-hashes the API's
// whole proto JSON for every client), so providers of one process that reach the same endpoint
// as the same identity share one set instead of paying that again.
const pool = new Map<string, Entry>();

function keyOf(settings: ClientSettings): string | undefined {
  // An injected auth client is an identity of its own: never shared by value.
  if (settings.authClient !== undefined) return undefined;
  return JSON.stringify([settings.endpoint ?? '', settings.credentialsFile]);
}

/**
 * The clients for `settings`, shared with every other borrower of the same settings in this
 * process, and closed when the last one releases them.
 */
export function borrowClients(settings: ClientSettings): BorrowedClients {
  const key = keyOf(settings);
  let entry = key === undefined ? undefined : pool.get(key);
  if (entry === undefined) {
    const clients = loadComputeClients(settings);
    entry = { clients, borrowers: 0 };
    if (key !== undefined) {
      const loading = entry;
      pool.set(key, loading);
      // A failed load is not kept: the next borrower tries again.
      clients.catch(() => {
        if (pool.get(key) === loading) pool.delete(key);
      });
    }
  }
  const borrowed = entry;
  borrowed.borrowers++;
  let released = false;
  return {
    clients: borrowed.clients,
    async release() {
      if (released) return;
      released = true;
      borrowed.borrowers--;
      if (borrowed.borrowers > 0) return;
      if (key !== undefined && pool.get(key) === borrowed) pool.delete(key);
      const clients = await borrowed.clients.catch(() => undefined);
      await clients?.close();
    },
  };
}
