import { createCipheriv, createDecipheriv, randomBytes, scrypt } from 'node:crypto';
import { HakocError } from './errors.js';

/**
 * Passphrase encryption for the few secrets in the key store that are not private keys (the
 * bootstrap token). Private keys use encrypted PKCS#8 instead, which openssl reads; there is no
 * such standard container for a short string, so this is scrypt + AES-256-GCM in a small JSON
 * envelope. GCM's tag tells a wrong passphrase from a good one, cleanly, which is why the store
 * checks the passphrase on this file before it decrypts any key (see `store-read.ts`).
 */
const format = 'hakoc-sealed-v2';
/** v1 files carried no parameters: they were all N = 2^14. */
const formatV1 = 'hakoc-sealed-v1';

/** scrypt's cost parameters, as a v2 envelope records them. */
interface ScryptCost {
  readonly N: number;
  readonly r: number;
  readonly p: number;
}

/**
 * N = 2^15, r = 8, p = 3: one of the settings OWASP's password storage guidance lists as
 * equivalent to its first, N = 2^17, r = 8, p = 1 (2^16/p 2, 2^15/p 3, 2^14/p 5, 2^13/p 10).
 * They cost an attacker alike; this one needs a 32 MiB work buffer instead of 128 MiB (Node
 * computes the p lanes one after another), which kept `hakoc apply` from staying under 200 MB
 * of peak RSS (docs/benchmarks.md). Once per run (the passphrase check), on the thread pool.
 * Tokens sealed with other parameters (N = 2^17 until this change, N = 2^14 in v1 files) still
 * open, and the store seals them again with these.
 */
const cost: ScryptCost = { N: 2 ** 15, r: 8, p: 3 };
const v1Cost: ScryptCost = { N: 2 ** 14, r: 8, p: 1 };
/** The most a file may ask for, so a tampered envelope cannot make us allocate gigabytes. */
const maxN = 2 ** 20;

/** scrypt needs 128 · N · r · p bytes; Node refuses above `maxmem` (32 MiB by default). */
function maxmemFor({ N, r, p }: ScryptCost): number {
  return 128 * N * r * p + 16 * 1024 * 1024;
}

interface Envelope {
  readonly format: typeof format | typeof formatV1;
  readonly kdf?: { readonly name: 'scrypt' } & ScryptCost;
  readonly salt: string;
  readonly iv: string;
  readonly tag: string;
  readonly data: string;
}

function deriveKey(passphrase: string, salt: Buffer, scryptCost: ScryptCost): Promise<Buffer> {
  // Asynchronous scrypt runs on the thread pool, keeping the event loop free.
  return new Promise((resolve, reject) => {
    scrypt(passphrase, salt, 32, { ...scryptCost, maxmem: maxmemFor(scryptCost) }, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

/** Encrypts `plaintext` with `passphrase` into a JSON text. */
export async function seal(plaintext: string, passphrase: string): Promise<string> {
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', await deriveKey(passphrase, salt, cost), iv);
  const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  const envelope: Envelope = {
    format,
    kdf: { name: 'scrypt', ...cost },
    salt: salt.toString('base64'),
    iv: iv.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
    data: data.toString('base64'),
  };
  return `${JSON.stringify(envelope, null, 2)}\n`;
}

function validCost(kdf: unknown): boolean {
  const value = kdf as Partial<ScryptCost & { name: string }> | undefined;
  const { N, r, p } = value ?? {};
  return (
    value?.name === 'scrypt' &&
    Number.isInteger(N) &&
    Number.isInteger(r) &&
    Number.isInteger(p) &&
    N !== undefined &&
    r !== undefined &&
    p !== undefined &&
    N > 1 &&
    N <= maxN &&
    (N & (N - 1)) === 0 &&
    r >= 1 &&
    r <= 32 &&
    p >= 1 &&
    p <= 16
  );
}

/** The scrypt cost a sealed text was made with. */
function costOf(envelope: Envelope): ScryptCost {
  const { kdf } = envelope;
  return kdf === undefined ? v1Cost : { N: kdf.N, r: kdf.r, p: kdf.p };
}

/**
 * True when a sealed text (already opened once) was made with other scrypt parameters than
 * today's — weaker ones, or the older 128 MiB ones — so the store seals it again.
 */
export function needsResealing(text: string): boolean {
  const { N, r, p } = costOf(parseEnvelope(text, ''));
  return N !== cost.N || r !== cost.r || p !== cost.p;
}

function parseEnvelope(text: string, path: string): Envelope {
  try {
    const value: unknown = JSON.parse(text);
    const envelope = value as Partial<Envelope>;
    if (
      (envelope.format === format || envelope.format === formatV1) &&
      typeof envelope.salt === 'string' &&
      typeof envelope.iv === 'string' &&
      typeof envelope.tag === 'string' &&
      Buffer.from(envelope.tag, 'base64').length === 16 &&
      typeof envelope.data === 'string'
    ) {
      if (envelope.format === formatV1 || validCost(envelope.kdf)) return envelope as Envelope;
    }
  } catch {
    // Not JSON: reported below as a corrupt file, like any other unreadable shape.
  }
  throw new HakocError('HAKOC_KEYSTORE_CORRUPT', `${path} is not a sealed hakoc file`, {
    hint: 'Restore the file from a backup.',
  });
}

/** Decrypts a text made by {@link seal}; a wrong passphrase throws `HAKOC_KEYSTORE_PASSPHRASE`. */
export async function unseal(text: string, passphrase: string, path: string): Promise<string> {
  const envelope = parseEnvelope(text, path);
  const key = await deriveKey(passphrase, Buffer.from(envelope.salt, 'base64'), costOf(envelope));
  // A fixed tag length: otherwise GCM accepts a tampered file's 4-byte tag.
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(envelope.iv, 'base64'), {
    authTagLength: 16,
  });
  decipher.setAuthTag(Buffer.from(envelope.tag, 'base64'));
  try {
    const data = Buffer.from(envelope.data, 'base64');
    return Buffer.concat([decipher.update(data), decipher.final()]).toString('utf8');
  } catch (cause) {
    throw new HakocError('HAKOC_KEYSTORE_PASSPHRASE', `The passphrase does not open ${path}`, {
      cause,
      hint: 'Use the passphrase this key store was created with.',
    });
  }
}
