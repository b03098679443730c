import {
  isProviderError,
  ProviderError,
  type ProviderErrorReason,
  type ProviderOperation,
} from '@hakoc/core';

/** The provider name in every error and event. */
export const GCE_PROVIDER_NAME = 'gce';

/** Where an error happened, for its message. */
export interface ErrorSite {
  /** The provider call. */
  readonly operation: ProviderOperation;
  /** `type/name` of the resource, when there is one. */
  readonly resource?: string;
}

// GCE's `reason` strings (ErrorInfo, or `errors[0].reason`) say more than the status code, so
// they win when present.
const REASONS: Readonly<Record<string, ProviderErrorReason>> = {
  rateLimitExceeded: 'rate-limited',
  userRateLimitExceeded: 'rate-limited',
  RATE_LIMIT_EXCEEDED: 'rate-limited',
  resourceNotReady: 'not-ready',
  RESOURCE_NOT_READY: 'not-ready',
  resourceInUseByAnotherResource: 'in-use',
  RESOURCE_IN_USE_BY_ANOTHER_RESOURCE: 'in-use',
  alreadyExists: 'conflict',
  ALREADY_EXISTS: 'conflict',
  notFound: 'not-found',
  RESOURCE_NOT_FOUND: 'not-found',
  backendError: 'unavailable',
  internalError: 'unavailable',
  INTERNAL_ERROR: 'unavailable',
  quotaExceeded: 'invalid',
  QUOTA_EXCEEDED: 'invalid',
  forbidden: 'permission',
  invalid: 'invalid',
  badRequest: 'invalid',
};

// gRPC status codes, which the compute clients report even over REST.
const GRPC_CODES: Readonly<Record<number, ProviderErrorReason>> = {
  3: 'invalid',
  4: 'unavailable',
  5: 'not-found',
  6: 'conflict',
  7: 'permission',
  8: 'rate-limited',
  9: 'invalid',
  10: 'conflict',
  13: 'unavailable',
  14: 'unavailable',
  16: 'permission',
};

// Connections that failed or died without an answer (Node's codes, as Cloud DNS's client reports
// them; the compute clients map their own): a call to try again.
const NETWORK_CODES: ReadonlySet<string> = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_SOCKET',
]);

function httpReason(status: number): ProviderErrorReason {
  if (status === 404) return 'not-found';
  if (status === 409) return 'conflict';
  if (status === 429) return 'rate-limited';
  if (status === 401 || status === 403) return 'permission';
  if (status >= 500) return 'unavailable';
  if (status >= 400) return 'invalid';
  return 'unknown';
}

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null
    ? (value as Record<string, unknown>)[key]
    : undefined;
}

/** GCE's reason string of a client error, wherever the client put it. */
export function reasonOf(error: unknown): string | undefined {
  const direct = field(error, 'reason');
  if (typeof direct === 'string') return direct;
  const errors = field(error, 'errors');
  const first = Array.isArray(errors) ? field(errors[0], 'reason') : undefined;
  return typeof first === 'string' ? first : undefined;
}

/** What kind of failure a Google client error (compute or Cloud DNS) is. */
export function classifyError(error: unknown): ProviderErrorReason {
  const reason = reasonOf(error);
  const byReason = reason === undefined ? undefined : REASONS[reason];
  if (byReason !== undefined) return byReason;
  const code = field(error, 'code');
  if (typeof code === 'number') {
    // Cloud DNS reports HTTP statuses, compute gRPC codes: the ranges do not overlap.
    return code >= 100 ? httpReason(code) : (GRPC_CODES[code] ?? 'unknown');
  }
  if (typeof code === 'string' && REASONS[code] !== undefined) return REASONS[code];
  if (typeof code === 'string' && NETWORK_CODES.has(code)) return 'unavailable';
  return 'unknown';
}

/** `error` as a {@link ProviderError}; one already is passes through. */
export function gceError(error: unknown, site: ErrorSite): ProviderError {
  if (isProviderError(error)) return error;
  const reason = classifyError(error);
  const message = error instanceof Error ? error.message : String(error);
  // GCE refuses these before doing anything, so a retry may (and must) use a new request id.
  const noEffect = reason === 'rate-limited' || reason === 'not-ready';
  return new ProviderError(`${site.resource === undefined ? 'GCE' : site.resource}: ${message}`, {
    provider: GCE_PROVIDER_NAME,
    operation: site.operation,
    ...(site.resource === undefined ? {} : { resource: site.resource }),
    reason,
    noEffect,
    cause: error,
  });
}

/** A {@link ProviderError} of our own making (not from a client). */
export function gceFailure(
  message: string,
  site: ErrorSite,
  reason: ProviderErrorReason,
  hint?: string,
  noEffect = false,
): ProviderError {
  return new ProviderError(message, {
    provider: GCE_PROVIDER_NAME,
    operation: site.operation,
    ...(site.resource === undefined ? {} : { resource: site.resource }),
    reason,
    noEffect,
    ...(hint === undefined ? {} : { hint }),
  });
}
