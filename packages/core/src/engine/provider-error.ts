import { HakocError, type HakocErrorOptions, isHakocError } from '@hakoc/certs';

/** The stable code of every {@link ProviderError}. */
export const PROVIDER_ERROR_CODE = 'HAKOC_PROVIDER_ERROR';

/** The provider call that failed. */
export type ProviderOperation = 'preflight' | 'list' | 'create' | 'update' | 'delete' | 'lock';

/** Why a provider call failed, as far as the engine needs to know. */
export type ProviderErrorReason =
  | 'not-found'
  | 'conflict'
  | 'in-use'
  | 'rate-limited'
  | 'unavailable'
  | 'not-ready'
  | 'invalid'
  | 'permission'
  | 'timeout'
  | 'unknown';

// Transient by nature: waiting helps. Everything else needs a person or a new plan.
const retryableReasons: ReadonlySet<ProviderErrorReason> = new Set([
  'in-use',
  'rate-limited',
  'unavailable',
  'not-ready',
]);

/** What a {@link ProviderError} is made from. */
export interface ProviderErrorOptions extends HakocErrorOptions {
  /** The provider name. */
  readonly provider: string;
  /** The call that failed. */
  readonly operation: ProviderOperation;
  /** The resource it was about, as `type/name`. */
  readonly resource?: string;
  /** Why it failed. @default 'unknown' */
  readonly reason?: ProviderErrorReason;
  /**
   * Whether trying again can help.
   * @default true for `in-use`, `rate-limited`, `unavailable` and `not-ready`, else false
   */
  readonly retryable?: boolean;
  /**
   * The call is known to have changed nothing: the cloud refused it, or its operation failed
   * before making anything. The engine then sends the next attempt with a new request id,
   * because clouds like GCE answer a repeated request id with the first, failed, operation.
   * Leave it unset when the call may have taken effect. @default false
   */
  readonly noEffect?: boolean;
}

/** A provider call failed. The engine retries it when `retryable`, and never otherwise. */
export class ProviderError extends HakocError {
  /** The provider name. */
  readonly provider: string;
  /** The call that failed. */
  readonly operation: ProviderOperation;
  /** The resource it was about, as `type/name`, when there was one. */
  readonly resource: string | undefined;
  /** Why it failed. */
  readonly reason: ProviderErrorReason;
  /** Whether trying again can help. */
  readonly retryable: boolean;
  /** Whether the call is known to have changed nothing. */
  readonly noEffect: boolean;

  constructor(message: string, options: ProviderErrorOptions) {
    super(PROVIDER_ERROR_CODE, message, options);
    this.name = 'ProviderError';
    this.provider = options.provider;
    this.operation = options.operation;
    this.resource = options.resource;
    this.reason = options.reason ?? 'unknown';
    this.retryable = options.retryable ?? retryableReasons.has(this.reason);
    this.noEffect = options.noEffect ?? false;
  }
}

/** True for a {@link ProviderError} from any copy of `@hakoc/core`. */
export function isProviderError(error: unknown): error is ProviderError {
  return isHakocError(error) && error.code === PROVIDER_ERROR_CODE;
}
