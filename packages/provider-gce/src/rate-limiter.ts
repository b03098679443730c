/**
 * Spaces request starts at least `1000 / perSecond` ms apart. GCE enforces per-project API rate
 * limits (`rateLimitExceeded`); staying under them on our side costs less than backing off.
 */
export class RateLimiter {
  readonly #intervalMs: number;
  #next = 0;

  /** `perSecond` of 0 or less (or Infinity) disables limiting. */
  constructor(perSecond: number) {
    this.#intervalMs = perSecond > 0 && Number.isFinite(perSecond) ? 1000 / perSecond : 0;
  }

  /** Resolves when the caller may start its request. */
  async take(signal: AbortSignal): Promise<void> {
    if (this.#intervalMs === 0) return;
    const now = Date.now();
    const at = Math.max(now, this.#next);
    this.#next = at + this.#intervalMs;
    if (at > now) {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(done, at - now);
        function done() {
          signal.removeEventListener('abort', abort);
          resolve();
        }
        function abort() {
          clearTimeout(timer);
          reject(signal.reason);
        }
        signal.addEventListener('abort', abort, { once: true });
      });
    }
  }
}
