import { backendError, GceApiError, notReady, rateLimited } from './errors.js';
import { Prng } from './prng.js';

/**
 * Injected faults. Random ones come from a seeded PRNG that draws exactly once per eligible
 * request, so the same seed and the same sequence of calls fail at the same places. Targeted
 * rules, checked first, let a test make one particular call fail a given number of times.
 */

/** The faults GCE really produces and the provider must survive. */
export type FaultKind =
  /** HTTP 429, reason `rateLimitExceeded`. */
  | 'rateLimitExceeded'
  /** HTTP 503, reason `backendError`. */
  | 'backendError'
  /** HTTP 400, reason `resourceNotReady` (mutations only). */
  | 'resourceNotReady'
  /** The call succeeds but its operation finishes with an `INTERNAL_ERROR` and changes nothing. */
  | 'operationError';

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
}

/** The outcome for one call: an HTTP error, or a flag that its operation must fail. */
export type FaultDecision =
  | { readonly kind: 'http'; readonly fault: string; readonly error: GceApiError }
  | { readonly kind: 'operation' };

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
    case 'operationError':
      return undefined;
  }
}

/** Decides, call by call, whether to inject a fault. */
export class FaultInjector {
  #rate = 0;
  #prng = new Prng(1);
  #rules: ActiveRule[] = [];

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
    const kinds: FaultKind[] = mutation
      ? ['rateLimitExceeded', 'backendError', 'resourceNotReady', 'operationError']
      : ['rateLimitExceeded', 'backendError'];
    const kind = kinds[Math.floor(pick * kinds.length)] ?? 'backendError';
    return this.#decision(kind, path, mutation);
  }

  #decision(kind: FaultKind | CustomFault, path: string, mutation: boolean): FaultDecision {
    if (kind === 'operationError' && mutation) return { kind: 'operation' };
    const error =
      errorFor(kind === 'operationError' ? 'backendError' : kind, path) ?? backendError();
    return { kind: 'http', fault: typeof kind === 'string' ? kind : kind.reason, error };
  }
}
