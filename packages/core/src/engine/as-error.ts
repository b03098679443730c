/** `value` if it is an Error, else an Error saying what was thrown: events carry Errors only. */
export function asError(value: unknown): Error {
  return value instanceof Error ? value : new Error(`Non-error thrown: ${String(value)}`);
}
