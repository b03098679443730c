import { inspect } from 'node:util';

const redacted = '[redacted]';

/**
 * A string that must not leak: a private key, a kubeconfig holding one, a bootstrap token.
 *
 * The value lives in a private field, so it is not an enumerable property; `toString`,
 * `toJSON` and `util.inspect` all print `[redacted]`. Objects holding secrets can therefore be
 * logged, put in events, serialised into plans or snapshotted without exposing key material.
 * Call {@link Secret.reveal} at the one place the value must be written out.
 */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  /** The secret value itself. Only call this where the value is written to its destination. */
  reveal(): string {
    return this.#value;
  }

  /** Always `[redacted]`, so string interpolation cannot leak the value. */
  toString(): string {
    return redacted;
  }

  /** Always `[redacted]`, so `JSON.stringify` cannot leak the value. */
  toJSON(): string {
    return redacted;
  }

  /** What `util.inspect` and `console.log` print. */
  [inspect.custom](): string {
    return `Secret(${redacted})`;
  }
}

/** The plain string behind a value that may or may not be wrapped in a {@link Secret}. */
export function revealString(value: Secret | string): string {
  return typeof value === 'string' ? value : value.reveal();
}
