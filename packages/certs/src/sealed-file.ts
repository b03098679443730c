import { createCipheriv, createDecipheriv, randomBytes, scrypt } from 'node:crypto';
import { HakocError } from './errors.js';

/**
 * Passphrase encryption for the few secrets in the key store that are not private keys (the
 * bootstrap token). Private keys use encrypted PKCS#8 instead, which openssl reads; there is no
 * such standard container for a short string, so this is scrypt + AES-256-GCM in a small JSON
 * envelope. GCM's tag tells a wrong passphrase from a good one.
 */
const format = 'hakoc-sealed-v1';
const cost = { N: 2 ** 14, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };

interface Envelope {
  readonly format: typeof format;
  readonly salt: string;
  readonly iv: string;
  readonly tag: string;
  readonly data: string;
}

function deriveKey(passphrase: string, salt: Buffer): Promise<Buffer> {
  // Asynchronous scrypt runs on the thread pool, keeping the event loop free.
  return new Promise((resolve, reject) => {
    scrypt(passphrase, salt, 32, cost, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

/** Encrypts `plaintext` with `passphrase` into a JSON text. */
export async function seal(plaintext: string, passphrase: string): Promise<string> {
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', await deriveKey(passphrase, salt), iv);
  const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  const envelope: Envelope = {
    format,
    salt: salt.toString('base64'),
    iv: iv.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
    data: data.toString('base64'),
  };
  return `${JSON.stringify(envelope, null, 2)}\n`;
}

function parseEnvelope(text: string, path: string): Envelope {
  try {
    const value: unknown = JSON.parse(text);
    const envelope = value as Partial<Envelope>;
    if (
      envelope.format === format &&
      typeof envelope.salt === 'string' &&
      typeof envelope.iv === 'string' &&
      typeof envelope.tag === 'string' &&
      typeof envelope.data === 'string'
    ) {
      return envelope as Envelope;
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
  const key = await deriveKey(passphrase, Buffer.from(envelope.salt, 'base64'));
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(envelope.iv, 'base64'));
  decipher.setAuthTag(Buffer.from(envelope.tag, 'base64'));
  try {
    const data = Buffer.from(envelope.data, 'base64');
    return Buffer.concat([decipher.update(data), decipher.final()]).toString('utf8');
  } catch (cause) {
    throw new HakocError('HAKOC_KEYSTORE_PASSPHRASE', `The passphrase does not open ${path}`, {
      cause,
      hint: 'Use the passphrase the key store was created with (HAKOC_PASSPHRASE).',
    });
  }
}
