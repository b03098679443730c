/** A signal that never aborts, for calls made without one. */
export function neverAborted(): AbortSignal {
  return new AbortController().signal;
}
