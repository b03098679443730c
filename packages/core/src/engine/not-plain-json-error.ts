import type { PlainJsonProblem } from './plain-json.js';

/**
 * A value that had to be plain JSON (a spec, a state, a fingerprint) was not. The engine turns it
 * into a GraphError or ProviderError naming the resource; a provider calling
 * `changedFields` outside the engine sees it as is.
 */
export class NotPlainJsonError extends Error {
  /** Where the value stops being plain JSON. */
  readonly problem: PlainJsonProblem;

  constructor(problem: PlainJsonProblem) {
    super(`${describePlainJsonProblem(problem, 'The value')}.`);
    this.name = 'NotPlainJsonError';
    this.problem = problem;
  }
}

/** `<subject><path> is <found>, not plain JSON`, for messages that name the value. */
export function describePlainJsonProblem(problem: PlainJsonProblem, subject: string): string {
  return `${subject}${problem.path} is ${problem.found}, not plain JSON`;
}

/**
 * Runs `work`, turning a {@link NotPlainJsonError} into `toError(message)` with a message that
 * names `subject` and says how to fix it.
 */
export function explainNotPlainJson<T>(
  subject: string,
  toError: (message: string) => Error,
  work: () => T,
): T {
  try {
    return work();
  } catch (error) {
    if (!(error instanceof NotPlainJsonError)) throw error;
    throw toError(
      `${describePlainJsonProblem(error.problem, subject)}: the engine compares and hashes it as ` +
        'canonical JSON, and this value has no faithful JSON form. Put a secret in as its ' +
        'revealed string and name its field in secretFields; turn Maps, Sets, Dates and ' +
        'BigInts into objects, arrays, strings and numbers.',
    );
  }
}
