import { backendError, GceApiError, notReady, rateLimited } from './errors.js';
import { Prng } from './prng.js';

/**
 * Injected faults. Random ones come from a seeded PRNG that draws exactly once per eligible
 * request, so the same seed and the same sequence of calls fail at the same places. Targeted
 * rules, checked first, let a test make one particular call fail a given number of times.
 */

/** The faults GCE and the network between really produce, and the provider must survive. */
export type FaultKind =
  /** HTTP 429, reason `rateLimitExceeded`. */
  | 'rateLimitExceeded'
  /** HTTP 503, reason `backendError`. */
  | 'backendError'
  /** HTTP 400, reason `resourceNotReady` (mutations only). */
  | 'resourceNotReady'
  /** The call succeeds but its operation finishes with an `INTERNAL_ERROR` and changes nothing. */
  | 'operationError'
  /** The connection is reset before the call reaches the API: nothing happens. */
  | 'connectionReset'
  /** The call is carried out, then the connection is reset before the answer is sent. */
  | 'responseLost'
  /** The call is carried out and answered 200 with a body that is not JSON (a proxy's page). */
  | 'malformedResponse'
  /** The call is carried out and its JSON answer cut off halfway. */
  | 'truncatedResponse'
  /**
   * The call's operation takes {@link FaultSettings.slowOperationMs} instead of its usual time,
   * past any reasonable wait (mutations only).
   */
  | 'slowOperation';

/** Every fault kind. */
export const FAULT_KINDS: readonly FaultKind[] = [
  'rateLimitExceeded',
  'backendError',
  'resourceNotReady',
  'operationError',
  'connectionReset',
  'responseLost',
  'malformedResponse',
  'truncatedResponse',
  'slowOperation',
];

/** The kinds random faults are drawn from unless told otherwise: the answers GCE gives. */
export const DEFAULT_RANDOM_FAULT_KINDS: readonly FaultKind[] = [
  'rateLimitExceeded',
  'backendError',
  'resourceNotReady',
  'operationError',
];

/** Kinds that only a call starting an operation can get. */
const MUTATION_ONLY: ReadonlySet<FaultKind> = new Set([
  'resourceNotReady',
  'operationError',
  'slowOperation',
]);

/** The default of {@link FaultSettings.slowOperationMs}: ten minutes, the provider's own wait. */
const DEFAULT_SLOW_OPERATION_MS = 600_000;

/** A custom HTTP error for a targeted rule. */
export interface CustomFault {
  readonly status: number;
  readonly reason: string;
  readonly message?: string;
}

/** Makes matching calls fail. */
export interface FaultRule {
  /** HTTP method to match (`GET`, `POST`, …); any when omitted. */
  readonly method?: string;
  /** Matched against the request path without the query; a string is compiled as a RegExp. */
  readonly pathPattern: RegExp | string;
  /** The fault to inject. */
  readonly error: FaultKind | CustomFault;
  /** How many matching calls fail; @default 1 (use `Infinity` for all). */
  readonly times?: number;
}

/** Fault settings; every field is optional and replaces the current one when given. */
export interface FaultSettings {
  /** Probability in [0, 1] that an API call fails at random. @default 0 */
  readonly rate?: number;
  /** Seed of the fault PRNG; setting it restarts the sequence. @default 1 */
  readonly seed?: number;
  /** Targeted rules, checked in order before the random draw. */
  readonly rules?: readonly FaultRule[];
  /**
   * The kinds random faults are drawn from (those a call cannot get are skipped for it).
   * @default DEFAULT_RANDOM_FAULT_KINDS
   */
  readonly kinds?: readonly FaultKind[];
  /** How long a `slowOperation` fault's operation takes, in ms (not scaled). @default 600000 */
  readonly slowOperationMs?: number;
}

/** A fault in how the answer travels, for the server to carry out on the connection. */
export type TransportFault = Extract<
  FaultKind,
  'connectionReset' | 'responseLost' | 'malformedResponse' | 'truncatedResponse'
>;

/**
 * The outcome for one call: an HTTP error; its operation failing or taking long; or the
 * connection misbehaving (`before`: the call is never carried out).
 */
export type FaultDecision =
  | { readonly kind: 'http'; readonly fault: string; readonly error: GceApiError }
  | { readonly kind: 'operation' }
  | { readonly kind: 'slow'; readonly durationMs: number }
  | { readonly kind: 'transport'; readonly fault: TransportFault; readonly before: boolean };

interface ActiveRule {
  readonly rule: FaultRule;
  readonly pattern: RegExp;
  remaining: number;
}

function errorFor(kind: FaultKind | CustomFault, path: string): GceApiError | undefined {
  if (typeof kind !== 'string') {
    const status =
      kind.status === 429
        ? 'RESOURCE_EXHAUSTED'
        : kind.status >= 500
          ? 'UNAVAILABLE'
          : 'FAILED_PRECONDITION';
    return new GceApiError(
      kind.status,
      kind.reason,
      kind.message ?? `Injected fault ${kind.reason}`,
      status,
    );
  }
  switch (kind) {
    case 'rateLimitExceeded':
      return rateLimited();
    case 'backendError':
      return backendError();
    case 'resourceNotReady':
      return notReady(path.replace(/^\/(?:compute|dns)\/v1\//, ''));
    default:
      return undefined;
  }
}

/** Decides, call by call, whether to inject a fault. */
export class FaultInjector {
  #rate = 0;
  #prng = new Prng(1);
  #rules: ActiveRule[] = [];
  #kinds: readonly FaultKind[] = DEFAULT_RANDOM_FAULT_KINDS;
  #slowOperationMs = DEFAULT_SLOW_OPERATION_MS;

  constructor(settings: FaultSettings = {}) {
    this.configure(settings);
  }

  /** Replaces the given settings; rules replace the whole rule list. */
  configure(settings: FaultSettings): void {
    if (settings.rate !== undefined) {
      if (!(settings.rate >= 0 && settings.rate <= 1))
        throw new RangeError('fault rate must be in [0, 1]');
      this.#rate = settings.rate;
    }
    if (settings.seed !== undefined) this.#prng = new Prng(settings.seed);
    if (settings.kinds !== undefined) {
      const unknown = settings.kinds.filter((kind) => !FAULT_KINDS.includes(kind));
      if (unknown.length > 0) throw new RangeError(`unknown fault kinds: ${unknown.join(', ')}`);
      this.#kinds = [...settings.kinds];
    }
    if (settings.slowOperationMs !== undefined) {
      if (!(settings.slowOperationMs >= 0)) throw new RangeError('slowOperationMs must be ≥ 0');
      this.#slowOperationMs = settings.slowOperationMs;
    }
    if (settings.rules !== undefined) {
      this.#rules = settings.rules.map((rule) => ({
        rule,
        pattern:
          typeof rule.pathPattern === 'string' ? new RegExp(rule.pathPattern) : rule.pathPattern,
        remaining: rule.times ?? 1,
      }));
    }
  }

  /**
   * The fault for a call, if any. `mutation` is true for calls that start an operation: only
   * those can get `resourceNotReady` or a failed operation.
   */
  decide(method: string, path: string, mutation: boolean): FaultDecision | undefined {
    for (const active of this.#rules) {
      if (active.remaining <= 0) continue;
      if (active.rule.method !== undefined && active.rule.method.toUpperCase() !== method) continue;
      if (!active.pattern.test(path)) continue;
      active.remaining--;
      return this.#decision(active.rule.error, path, mutation);
    }
    if (this.#rate <= 0) return undefined;
    // Two draws per call whatever the outcome, so one call's fault never shifts the next's.
    const hit = this.#prng.next() < this.#rate;
    const pick = this.#prng.next();
    if (!hit) return undefined;
    const kinds = this.#kinds.filter((kind) => mutation || !MUTATION_ONLY.has(kind));
    const kind = kinds[Math.floor(pick * kinds.length)];
    if (kind === undefined) return undefined;
    return this.#decision(kind, path, mutation);
  }

  #decision(kind: FaultKind | CustomFault, path: string, mutation: boolean): FaultDecision {
    if (kind === 'operationError' && mutation) return { kind: 'operation' };
    if (kind === 'slowOperation' && mutation) {
      return { kind: 'slow', durationMs: this.#slowOperationMs };
    }
    if (
      kind === 'connectionReset' ||
      kind === 'responseLost' ||
      kind === 'malformedResponse' ||
      kind === 'truncatedResponse'
    ) {
      return { kind: 'transport', fault: kind, before: kind === 'connectionReset' };
    }
    // A mutation-only kind on a read (a targeted rule can ask for one) is a plain 503.
    const error =
      errorFor(
        kind === 'operationError' || kind === 'slowOperation' ? 'backendError' : kind,
        path,
      ) ?? backendError();
    return { kind: 'http', fault: typeof kind === 'string' ? kind : kind.reason, error };
  }
}

/**
 * What a connection carrying `payload` sends for a reply fault: a proxy's HTML page instead of
 * JSON, or the JSON cut off halfway (with a length header to match, so the client reads it
 * whole and fails to parse it).
 */
export function faultyPayload(
  fault: 'malformedResponse' | 'truncatedResponse',
  payload: string,
): string {
  if (fault === 'malformedResponse') {
    return '<html><head><title>502 Bad Gateway</title></head><body>upstream error</body></html>';
  }
  return payload.slice(0, Math.floor(payload.length / 2));
}
