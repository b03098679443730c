/**
 * The base of every error hakoc throws.
 *
 * It lives in `@hakoc/certs` because that package sits at the bottom of the import graph
 * (it imports nothing of ours) and needs it too; `@hakoc/core` re-exports it. Errors are
 * recognised by a global symbol marker rather than `instanceof`, so two copies of a package in
 * one program (a common npm outcome) still recognise each other's errors.
 */
const marker = Symbol.for('hakoc.error');

/** Options shared by every {@link HakocError}. */
export interface HakocErrorOptions {
  /** The error that caused this one. */
  readonly cause?: unknown;
  /** One sentence telling the user what to do about it. */
  readonly hint?: string;
}

/** An error with a stable, documented `code` that programs can branch on. */
export class HakocError extends Error {
  /** Stable identifier, for example `HAKOC_SPEC_INVALID`. Never changes between releases. */
  readonly code: string;
  /** What the user can do about it, when we know. */
  readonly hint: string | undefined;
  /** The cross-copy marker {@link isHakocError} looks for. */
  readonly [marker] = true;

  constructor(code: string, message: string, options: HakocErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'HakocError';
    this.code = code;
    this.hint = options.hint;
  }
}

/** True for any error hakoc threw, from any copy of any hakoc package. */
export function isHakocError(error: unknown): error is HakocError {
  return typeof error === 'object' && error !== null && marker in error;
}
