import { type EngineEvent, isHakocError, isProviderError, type ProviderError } from '@hakoc/core';

/** A provider error as `--json` progress shows it: what it is, never what caused it. */
export interface ProviderErrorJson {
  /** Always `ProviderError`. */
  readonly name: string;
  /** The stable error code. */
  readonly code: string;
  /** What failed, in words. */
  readonly message: string;
  /** What to do about it, when known. */
  readonly hint?: string;
  /** The provider name. */
  readonly provider: string;
  /** The provider call that failed. */
  readonly operation: string;
  /** The resource, as `type/name`, when there was one. */
  readonly resource?: string;
  /** Why it failed. */
  readonly reason: string;
  /** Whether trying again could help. */
  readonly retryable: boolean;
}

/**
 * An engine event as plain JSON, for `--json` progress: the event as the engine sent it, except
 * that a failed step's error keeps only its own fields. Its `cause` and stack are left out on
 * purpose: a cloud SDK's error can quote the request it failed on, and an instance template's
 * request carries boot configs with keys and tokens in them.
 */
export function eventToJson(event: EngineEvent): Record<string, unknown> {
  switch (event.type) {
    case 'resource.failed':
      return { ...event, error: providerErrorToJson(event.error) };
    // `JSON.stringify` turns an `Error` into `{}`: these keep the error's own fields instead.
    case 'plan.failed':
    case 'apply.failed':
    case 'lock.release-failed':
      return { ...event, error: errorToJson(event.error) };
    default:
      return { ...event };
  }
}

/** An error that is not a provider's, as `--json` progress shows it. */
export interface ErrorJson {
  /** The error class's name. */
  readonly name: string;
  /** What failed, in words. */
  readonly message: string;
  /** The stable error code, for hakoc's own errors. */
  readonly code?: string;
  /** What to do about it, when known. */
  readonly hint?: string;
}

/** The fields of any error that are safe to print; a provider error keeps all of its own. */
export function errorToJson(error: Error): ErrorJson | ProviderErrorJson {
  if (isProviderError(error)) return providerErrorToJson(error);
  if (!isHakocError(error)) return { name: error.name, message: error.message };
  return {
    name: error.name,
    message: error.message,
    code: error.code,
    ...(error.hint === undefined ? {} : { hint: error.hint }),
  };
}

/** The fields of a provider error that are safe to print. */
export function providerErrorToJson(error: ProviderError): ProviderErrorJson {
  return {
    name: error.name,
    code: error.code,
    message: error.message,
    ...(error.hint === undefined ? {} : { hint: error.hint }),
    provider: error.provider,
    operation: error.operation,
    ...(error.resource === undefined ? {} : { resource: error.resource }),
    reason: error.reason,
    retryable: error.retryable,
  };
}

/**
 * One event as one line of JSON. `JSON.stringify` also turns any `Secret` that reached an event
 * into `"[redacted]"`, through its `toJSON`.
 */
export function eventJsonLine(event: EngineEvent): string {
  return `${JSON.stringify(eventToJson(event))}\n`;
}
