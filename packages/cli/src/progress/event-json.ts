import type { EngineEvent, ProviderError } from '@hakoc/core';

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
  if (event.type !== 'resource.failed') return { ...event };
  return { ...event, error: providerErrorToJson(event.error) };
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
