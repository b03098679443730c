import type { JsonObject } from './json.js';

/** The gRPC status names Google puts in `error.status`; the clients map them to codes. */
export type GoogleStatus =
  | 'INVALID_ARGUMENT'
  | 'FAILED_PRECONDITION'
  | 'NOT_FOUND'
  | 'ALREADY_EXISTS'
  | 'PERMISSION_DENIED'
  | 'RESOURCE_EXHAUSTED'
  | 'UNAVAILABLE'
  | 'INTERNAL'
  | 'UNIMPLEMENTED'
  | 'ABORTED';

/**
 * An error answered as an HTTP error, in the shape GCE and Cloud DNS use:
 * `{ error: { code, message, errors: [{ message, domain, reason }], status, details } }`.
 *
 * Real GCE often omits `status`; the emulator always sends it (and an `ErrorInfo` detail) so a
 * client sees the precise code (`ALREADY_EXISTS` rather than the `ABORTED` a bare 409 maps to)
 * and finds `reason` in both places the Google clients look.
 */
export class GceApiError extends Error {
  /** HTTP status code. */
  readonly httpStatus: number;
  /** GCE's `errors[0].reason`, e.g. `notFound`, `rateLimitExceeded`. */
  readonly reason: string;
  /** GCE's `errors[0].domain`: `global` for most, `usageLimits` for rate and quota limits. */
  readonly domain: string;
  /** The canonical status name sent in `error.status`. */
  readonly status: GoogleStatus;

  constructor(
    httpStatus: number,
    reason: string,
    message: string,
    status: GoogleStatus,
    domain = 'global',
  ) {
    super(message);
    this.name = 'GceApiError';
    this.httpStatus = httpStatus;
    this.reason = reason;
    this.domain = domain;
    this.status = status;
  }

  /** The JSON body of the HTTP response; `service` names the API in the `ErrorInfo` detail. */
  toBody(service = 'compute.googleapis.com'): JsonObject {
    return {
      error: {
        code: this.httpStatus,
        message: this.message,
        errors: [{ message: this.message, domain: this.domain, reason: this.reason }],
        status: this.status,
        details: [
          {
            '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
            reason: this.reason,
            domain: service,
            metadata: {},
          },
        ],
      },
    };
  }
}

/** 404 `notFound` for a resource path such as `projects/p/global/networks/n`. */
export function notFound(path: string): GceApiError {
  return new GceApiError(404, 'notFound', `The resource '${path}' was not found`, 'NOT_FOUND');
}

/** 409 `alreadyExists`. */
export function alreadyExists(path: string): GceApiError {
  return new GceApiError(
    409,
    'alreadyExists',
    `The resource '${path}' already exists`,
    'ALREADY_EXISTS',
  );
}

/** 400 `invalid`: a field value GCE would refuse. */
export function invalidField(field: string, value: string, why: string): GceApiError {
  return new GceApiError(
    400,
    'invalid',
    `Invalid value for field '${field}': '${value}'. ${why}`,
    'INVALID_ARGUMENT',
  );
}

/** 400 `required`: a required field is missing. */
export function requiredField(field: string): GceApiError {
  return new GceApiError(
    400,
    'required',
    `Required field '${field}' not specified`,
    'INVALID_ARGUMENT',
  );
}

/** 400 `invalid` for a body that does not match the API's message shape. */
export function badPayload(message: string): GceApiError {
  return new GceApiError(400, 'invalid', message, 'INVALID_ARGUMENT');
}

/** 400 `resourceInUseByAnotherResource`, as GCE answers a delete of something still referenced. */
export function inUse(path: string, user: string): GceApiError {
  return new GceApiError(
    400,
    'resourceInUseByAnotherResource',
    `The resource '${path}' is already being used by '${user}'`,
    'FAILED_PRECONDITION',
  );
}

/** 400 `resourceNotReady`: the resource is busy with another operation. */
export function notReady(path: string): GceApiError {
  return new GceApiError(
    400,
    'resourceNotReady',
    `The resource '${path}' is not ready`,
    'FAILED_PRECONDITION',
  );
}

/** 412 `conditionNotMet`: a fingerprint did not match. */
export function conditionNotMet(what: string): GceApiError {
  return new GceApiError(
    412,
    'conditionNotMet',
    `Supplied fingerprint does not match current fingerprint of ${what}.`,
    'FAILED_PRECONDITION',
  );
}

/** 429 `rateLimitExceeded`, GCE's answer to too many requests per second. */
export function rateLimited(): GceApiError {
  return new GceApiError(
    429,
    'rateLimitExceeded',
    "Quota exceeded for quota metric 'Queries' and limit 'Queries per minute' of service 'compute.googleapis.com'.",
    'RESOURCE_EXHAUSTED',
    'usageLimits',
  );
}

/** 503 `backendError`. */
export function backendError(): GceApiError {
  return new GceApiError(
    503,
    'backendError',
    'The service is currently unavailable.',
    'UNAVAILABLE',
  );
}

/** 501 for a REST method the compute API has but the emulator does not implement. */
export function unimplemented(what: string): GceApiError {
  return new GceApiError(
    501,
    'notImplemented',
    `The GCE emulator does not implement ${what}`,
    'UNIMPLEMENTED',
  );
}

/** True when a thrown value is an emulator API error. */
export function isGceApiError(value: unknown): value is GceApiError {
  return value instanceof GceApiError;
}
