import { callEtcdGateway, type EtcdClientTls, isHakocError } from '@hakoc/core';

/** What the traffic client saw in one phase of a test. */
export interface TrafficPhase {
  readonly name: string;
  readonly writes: number;
  readonly reads: number;
  readonly failures: readonly string[];
  /** Calls that succeeded after failing over to another endpoint or a retry. */
  readonly retried: number;
}

/** What the traffic client saw, phase by phase. */
export interface TrafficReport {
  readonly phases: readonly TrafficPhase[];
}

/** A running traffic client. */
export interface Traffic {
  /** Counts what follows under `name` (the phase before ends). */
  phase(name: string): void;
  /**
   * Waits until the current phase has `count` reads (bounded: `timeoutMs`), so a phase that
   * ends quickly still proves the cluster served after its change.
   */
  served(count: number, timeoutMs?: number): Promise<void>;
  /** Stops the client after its current operation and reports. */
  stop(): Promise<TrafficReport>;
}

const base64 = (text: string) => Buffer.from(text).toString('base64');

// How the API server's etcd client rides out membership changes: the gRPC client balances over
// every endpoint of --etcd-servers and sends nothing to one it cannot connect to, and the
// apiserver's storage layer (k8s.io/apiserver etcd3retry) retries a call that failed with
// Unavailable (a leader change, a stopping member) or a reset connection, with a short backoff.
// Such a call was not carried out (or, after a reset, is harmless to repeat: the same value is
// put again), so this client does the same: the next endpoint on a refused or reset connection
// or an HTTP 503, at most ROUNDS times around the list. A call is given longer than etcd's own
// request timeout (about 7 s), which etcd answers with Unavailable ("request timed out"), as it
// does a proposal lost to a crashed leader. Any other failure (a client-side timeout, another
// HTTP status, a wrong value) counts.
const ROUNDS = 3;
const BACKOFF_MS = [0, 300, 600];
const CALL_TIMEOUT_MS = 10_000;

function retriable(error: unknown): boolean {
  if (!isHakocError(error)) return false;
  // The JSON gateway is a gRPC client of its own member: a member stopping under it breaks
  // that inner connection ("transport: …", or the stream cut off: "server closed the stream
  // without sending trailers"; etcd stops its gRPC server at once when it serves TLS), which a
  // gRPC client such as the API server's sees as the connection failing, and fails over from.
  // "raft proposal dropped": the leader ignored the write (it was handing over leadership,
  // or a follower had no leader for a moment), so it was not carried out either.
  if (error.code === 'HAKOC_ETCD_REFUSED')
    return /\(HTTP 503\)|\(HTTP 500\): (.*transport: |server closed the stream without sending trailers|raft proposal dropped)/.test(
      error.message,
    );
  if (error.code !== 'HAKOC_ETCD_UNREACHABLE') return false;
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return (
    ['ECONNREFUSED', 'ECONNRESET', 'EPIPE'].includes(cause?.code ?? '') ||
    /socket hang up/.test(cause?.message ?? '')
  );
}

/**
 * A client that uses etcd as the API server does: every member's endpoint, taken in turn, with
 * the API server's fail-over and retries (above). One operation at a time until stopped: write
 * a counter, then read it back through the next endpoint. Reads are linearizable and come
 * after the write they check was acknowledged, so each must return that value; a call that
 * fails after its retries, or a stale value, is a failure of its phase.
 */
export function startTraffic(options: {
  readonly endpoints: readonly string[];
  readonly tls: EtcdClientTls;
  readonly firstPhase: string;
}): Traffic {
  let running = true;
  let turn = 0;
  type Counts = {
    name: string;
    writes: number;
    reads: number;
    failures: string[];
    retried: number;
  };
  const phases: Counts[] = [];
  const startPhase = (name: string) => {
    phases.push({ name, writes: 0, reads: 0, failures: [], retried: 0 });
  };
  startPhase(options.firstPhase);
  const current = (): Counts => {
    const last = phases[phases.length - 1];
    if (last === undefined) throw new Error('the traffic client has no phase');
    return last;
  };
  const key = base64('/hakoc/traffic');

  async function call<T>(path: string, body: unknown, counted: { retried: number }): Promise<T> {
    const start = turn++;
    const { length } = options.endpoints;
    let last: unknown;
    for (let round = 0; round < ROUNDS; round++) {
      await new Promise((resolve) => setTimeout(resolve, BACKOFF_MS[round] ?? 0));
      for (let offset = 0; offset < length; offset++) {
        const endpoint = options.endpoints[(start + offset) % length] ?? '';
        try {
          const answer = await callEtcdGateway<T>(
            { endpoint, tls: options.tls, timeoutMs: CALL_TIMEOUT_MS },
            path,
            body,
          );
          if (last !== undefined) counted.retried++;
          return answer;
        } catch (error) {
          if (!retriable(error)) throw error;
          last = error;
        }
      }
    }
    throw last;
  }

  const loop = (async () => {
    for (let counter = 0; running; counter++) {
      // Counted in the phase it started in, so each phase has as many reads as writes.
      const counted = current();
      const value = String(counter);
      try {
        await call('/v3/kv/put', { key, value: base64(value) }, counted);
        counted.writes++;
        const answer = await call<{ kvs?: { value?: string }[] }>('/v3/kv/range', { key }, counted);
        counted.reads++;
        const read = Buffer.from(answer.kvs?.[0]?.value ?? '', 'base64').toString();
        if (read !== value) counted.failures.push(`read ${read} after writing ${value}`);
      } catch (error) {
        counted.failures.push(String(error));
      }
    }
  })();
  return {
    phase: startPhase,
    async served(count, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      while (current().reads < count && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    async stop() {
      running = false;
      await loop;
      return { phases: phases.map((phase) => ({ ...phase })) };
    },
  };
}
