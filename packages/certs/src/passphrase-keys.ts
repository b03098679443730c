import { pbkdf2, randomBytes } from 'node:crypto';
import type { Pbkdf2Digest } from './pbes2.js';

/**
 * PBKDF2-HMAC-SHA256 iterations for key files written from now on: OWASP's 2023 figure.
 * Files with fewer (Node's `KeyObject.export` wrote 2048) are read and then re-encrypted.
 */
export const pbkdf2Iterations = 600_000;

/** The key-encryption key files are written with, and the PBKDF2 salt it came from. */
export interface WritingKey {
  /** The PBKDF2 salt every file written in this run carries. */
  readonly salt: Buffer;
  /** The AES-256 key PBKDF2 derived from the passphrase and that salt. */
  readonly key: Buffer;
}

/**
 * The AES keys one run derives from the passphrase, each derived once.
 *
 * PBKDF2 at 600,000 iterations costs about 0.1 s of one core per derivation (measured on the
 * benchmark machine); a store holds about 20 key files. PBES2 puts a salt in every file, so
 * per-file salts would mean one derivation per file on every load. Instead every file of a store
 * carries the same random salt (each still has its own random IV): a load derives once per
 * distinct salt — normally once — and files written later reuse the store's salt and key. This
 * costs nothing against an attacker: every file of a store is sealed with the same passphrase,
 * so breaking one breaks them all whatever the salts; the salt still differs between stores,
 * so no precomputation serves two of them. Derivations run on libuv's thread pool through the
 * asynchronous `crypto.pbkdf2`, never on the event loop.
 */
export class PassphraseKeys {
  readonly #passphrase: string;
  readonly #derived = new Map<string, Promise<Buffer>>();
  #writing: { readonly salt: Buffer; readonly key: Promise<Buffer> } | undefined;

  constructor(passphrase: string) {
    this.#passphrase = passphrase;
  }

  /** The AES-256 key for a file's PBKDF2 parameters; computed once per distinct parameters. */
  derive(salt: Buffer, iterations: number, digest: Pbkdf2Digest): Promise<Buffer> {
    const id = `${digest}:${iterations}:${salt.toString('base64')}`;
    let key = this.#derived.get(id);
    if (key === undefined) {
      key = new Promise<Buffer>((resolve, reject) => {
        pbkdf2(this.#passphrase, salt, iterations, 32, digest, (error, derived) =>
          error ? reject(error) : resolve(derived),
        );
      });
      // A failed derivation is reported to whoever awaits it; the cache must not leave an
      // unhandled rejection behind when nobody does.
      key.catch(() => undefined);
      this.#derived.set(id, key);
    }
    return key;
  }

  /**
   * Adopts the salt of a file already in the store (read with full-strength parameters) for
   * every file this run writes, so the store keeps one salt and one derivation.
   */
  adoptStoreSalt(salt: Buffer): void {
    if (this.#writing !== undefined) return;
    this.#writing = { salt, key: this.derive(salt, pbkdf2Iterations, 'sha256') };
  }

  /** The salt and key to write key files with: the store's, or a new random salt. */
  async forWriting(): Promise<WritingKey> {
    if (this.#writing === undefined) this.adoptStoreSalt(randomBytes(16));
    const writing = this.#writing;
    if (writing === undefined) throw new TypeError('no writing key');
    return { salt: writing.salt, key: await writing.key };
  }
}
