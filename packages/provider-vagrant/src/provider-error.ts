import {
  isProviderError,
  ProviderError,
  type ProviderErrorReason,
  type ProviderOperation,
} from '@hakoc/core';
import { isVagrantError, type VagrantError } from './vagrant-error.js';

/** The provider name in errors, events and plans. */
export const VAGRANT_PROVIDER_NAME = 'vagrant';

// Vagrant's error classes that mean "another process is busy with this machine or project":
// waiting and trying again helps. Every other failure of `up` or `destroy` leaves a machine in
// a state a blind retry could make worse (half imported, half provisioned), so it is final.
const BUSY_ERRORS: ReadonlySet<string> = new Set([
  'Vagrant::Errors::EnvironmentLockedError',
  'Vagrant::Errors::MachineActionLockedError',
  'Vagrant::Errors::MachineLocked',
]);

// Box downloads fail on flaky networks; the download is resumed on the next try.
const DOWNLOAD_ERRORS: ReadonlySet<string> = new Set([
  'Vagrant::Errors::BoxDownloadError',
  'Vagrant::Errors::DownloaderError',
]);

/** What the failing call was about. */
export interface FailedCall {
  /** The provider call. */
  readonly operation: ProviderOperation;
  /** The resource, as `type/name`, when there is one. */
  readonly resource?: string;
}

/**
 * A {@link ProviderError} for any failure of a Vagrant call, with Vagrant's own error text as
 * the message. A `ProviderError` passes through unchanged.
 */
export function toProviderError(error: unknown, call: FailedCall): ProviderError {
  if (isProviderError(error)) return error;
  const where = call.resource === undefined ? {} : { resource: call.resource };
  if (!isVagrantError(error)) {
    const message = error instanceof Error ? error.message : String(error);
    return new ProviderError(message, {
      provider: VAGRANT_PROVIDER_NAME,
      operation: call.operation,
      ...where,
      cause: error,
    });
  }
  return new ProviderError(vagrantMessage(error), {
    provider: VAGRANT_PROVIDER_NAME,
    operation: call.operation,
    ...where,
    reason: reasonOf(error),
    ...(error.hint === undefined ? {} : { hint: error.hint }),
    cause: error,
  });
}

function reasonOf(error: VagrantError): ProviderErrorReason {
  if (error.failure === 'timeout') return 'timeout';
  if (error.failure === 'not-found') return 'invalid';
  if (error.errorType === undefined) return 'unknown';
  if (BUSY_ERRORS.has(error.errorType)) return 'in-use';
  if (DOWNLOAD_ERRORS.has(error.errorType)) return 'unavailable';
  if (error.errorType === 'Vagrant::Errors::MachineNotFound') return 'not-found';
  return 'unknown';
}

// Vagrant's words first: they say what to do about it far better than our summary could.
function vagrantMessage(error: VagrantError): string {
  const command = error.command.slice(1, -1).join(' ');
  if (error.errorText === '') return `vagrant ${command}: ${error.message}`;
  return `vagrant ${command} failed: ${error.errorText}`;
}
