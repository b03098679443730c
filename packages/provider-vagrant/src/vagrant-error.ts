import { HakocError, isHakocError } from '@hakoc/core';

/** Why a `vagrant` run failed. */
export type VagrantFailure = 'failed' | 'timeout' | 'aborted' | 'not-found';

/** The stable code of each {@link VagrantFailure}. */
export const VAGRANT_ERROR_CODES: Readonly<Record<VagrantFailure, string>> = {
  failed: 'HAKOC_VAGRANT_FAILED',
  timeout: 'HAKOC_VAGRANT_TIMEOUT',
  aborted: 'HAKOC_VAGRANT_ABORTED',
  'not-found': 'HAKOC_VAGRANT_NOT_FOUND',
};

const codes: ReadonlySet<string> = new Set(Object.values(VAGRANT_ERROR_CODES));

/** What a {@link VagrantError} is made from. */
export interface VagrantErrorDetails {
  /** Why the run failed. */
  readonly failure: VagrantFailure;
  /** The command as run, binary first. */
  readonly command: readonly string[];
  /** The exit code, or `null` when the process was killed or never started. */
  readonly exitCode: number | null;
  /** Vagrant's own error text (its `error-exit` message, else the end of its stderr). */
  readonly errorText: string;
  /** Vagrant's error class, for example `Vagrant::Errors::ConfigInvalid`, when it named one. */
  readonly errorType?: string;
  /** What the user can do. */
  readonly hint?: string;
  /** The underlying error (spawn failure, abort reason, a progress callback's error). */
  readonly cause?: unknown;
}

/**
 * A `vagrant` run failed, timed out, was aborted or could not start. Carries the command, the
 * exit code and Vagrant's own error text, so the message the user sees is Vagrant's.
 */
export class VagrantError extends HakocError {
  /** Why the run failed. */
  readonly failure: VagrantFailure;
  /** The command as run, binary first. */
  readonly command: readonly string[];
  /** The exit code, or `null` when the process was killed or never started. */
  readonly exitCode: number | null;
  /** Vagrant's own error text. */
  readonly errorText: string;
  /** Vagrant's error class, when it named one. */
  readonly errorType: string | undefined;

  constructor(message: string, details: VagrantErrorDetails) {
    super(VAGRANT_ERROR_CODES[details.failure], message, {
      ...(details.hint === undefined ? {} : { hint: details.hint }),
      ...(details.cause === undefined ? {} : { cause: details.cause }),
    });
    this.name = 'VagrantError';
    this.failure = details.failure;
    this.command = details.command;
    this.exitCode = details.exitCode;
    this.errorText = details.errorText;
    this.errorType = details.errorType;
  }
}

/** True for a {@link VagrantError} from any copy of this package. */
export function isVagrantError(error: unknown): error is VagrantError {
  return isHakocError(error) && codes.has(error.code);
}
