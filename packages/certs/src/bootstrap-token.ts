import { HakocError } from './errors.js';
import { Secret } from './secret.js';

/**
 * A bootstrap token: how a worker proves, once, that it may join. The kubelet presents it to
 * ask for its client certificate, so workers never hold a CA key.
 */
export interface BootstrapToken {
  /** The public part (6 characters); the Secret object is named `bootstrap-token-<id>`. */
  readonly id: string;
  /** The private part (16 characters). */
  readonly secret: Secret;
  /** `<id>.<secret>`, the form kubelet's bootstrap kubeconfig carries. */
  readonly token: Secret;
  /** When the API server stops accepting it. */
  readonly expires: Date;
}

const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
const tokenFormat = /^([a-z0-9]{6})\.([a-z0-9]{16})$/;

/** `length` characters of [a-z0-9] from the crypto RNG, without modulo bias. */
function randomString(length: number): string {
  let out = '';
  // 252 = 7 × 36: bytes at or above it are dropped so every character is equally likely.
  while (out.length < length) {
    for (const byte of globalThis.crypto.getRandomValues(new Uint8Array(length * 2))) {
      if (byte < 252 && out.length < length) out += alphabet[byte % 36];
    }
  }
  return out;
}

/** Options for {@link createBootstrapToken}. */
export interface CreateBootstrapTokenOptions {
  /** How long the token stays valid, in days. */
  readonly ttlDays: number;
  /** The time it is made. @default new Date() */
  readonly now?: Date;
}

/** Makes a new random bootstrap token (`[a-z0-9]{6}.[a-z0-9]{16}`) from the crypto RNG. */
export function createBootstrapToken(options: CreateBootstrapTokenOptions): BootstrapToken {
  const now = options.now ?? new Date();
  const expires = new Date(now.getTime() + options.ttlDays * 24 * 60 * 60 * 1000);
  return bootstrapTokenFrom(`${randomString(6)}.${randomString(16)}`, expires);
}

/** Wraps an existing `<id>.<secret>` token; throws `HAKOC_BOOTSTRAP_TOKEN_INVALID` if malformed. */
export function bootstrapTokenFrom(token: string, expires: Date): BootstrapToken {
  const match = tokenFormat.exec(token);
  if (match?.[1] === undefined || match[2] === undefined || Number.isNaN(expires.getTime())) {
    throw new HakocError('HAKOC_BOOTSTRAP_TOKEN_INVALID', 'A bootstrap token is malformed', {
      hint: 'A token is [a-z0-9]{6}.[a-z0-9]{16} with a valid expiry date.',
    });
  }
  return { id: match[1], secret: new Secret(match[2]), token: new Secret(token), expires };
}
