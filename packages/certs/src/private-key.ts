import {
  createCipheriv,
  createDecipheriv,
  createPrivateKey,
  createPublicKey,
  type KeyObject,
  randomBytes,
  type webcrypto,
} from 'node:crypto';
import { HakocError } from './errors.js';
import { type PassphraseKeys, pbkdf2Iterations } from './passphrase-keys.js';
import { decodePbes2, encodePbes2 } from './pbes2.js';
import type { KeyAlgorithm } from './request.js';

/** The WebCrypto parameters that generate a key of each {@link KeyAlgorithm}. */
const generationParams: Record<
  KeyAlgorithm,
  webcrypto.EcKeyGenParams | webcrypto.RsaHashedKeyGenParams
> = {
  'ecdsa-p256': { name: 'ECDSA', namedCurve: 'P-256' },
  'rsa-2048': rsa(2048),
  'rsa-3072': rsa(3072),
  'rsa-4096': rsa(4096),
};

function rsa(modulusLength: number): webcrypto.RsaHashedKeyGenParams {
  return {
    name: 'RSASSA-PKCS1-v1_5',
    modulusLength,
    publicExponent: new Uint8Array([1, 0, 1]),
    hash: 'SHA-256',
  };
}

/**
 * Makes a new key pair with native WebCrypto; the work runs on libuv's thread pool, so even
 * RSA-4096 does not stall the event loop.
 */
export async function generateKeyPair(algorithm: KeyAlgorithm): Promise<webcrypto.CryptoKeyPair> {
  return globalThis.crypto.subtle.generateKey(generationParams[algorithm], true, [
    'sign',
    'verify',
  ]);
}

/** A WebCrypto private key as an unencrypted PKCS#8 PEM. */
export async function privateKeyToPem(key: webcrypto.CryptoKey): Promise<string> {
  const der = await globalThis.crypto.subtle.exportKey('pkcs8', key);
  return createPrivateKey({ key: Buffer.from(der), format: 'der', type: 'pkcs8' })
    .export({ type: 'pkcs8', format: 'pem' })
    .toString();
}

/**
 * Encrypts a private key as PKCS#8 `ENCRYPTED PRIVATE KEY` (PBES2: PBKDF2-HMAC-SHA256 at
 * {@link pbkdf2Iterations} iterations, AES-256-CBC with a fresh random IV), the format
 * `openssl pkey -passin` reads. The AES key comes from `keys`, derived once per run.
 */
export async function encryptPrivateKey(pem: string, keys: PassphraseKeys): Promise<string> {
  const der = createPrivateKey(pem).export({ type: 'pkcs8', format: 'der' });
  const { salt, key } = await keys.forWriting();
  const iv = randomBytes(16);
  const cipher = createCipheriv('aes-256-cbc', key, iv);
  const ciphertext = Buffer.concat([cipher.update(der), cipher.final()]);
  return encodePbes2({ salt, iterations: pbkdf2Iterations, digest: 'sha256', iv, ciphertext });
}

/** A decrypted key file. */
export interface DecryptedKey {
  /** The key as unencrypted PKCS#8 PEM. */
  readonly pem: string;
  /** True when the file's encryption is weaker than what {@link encryptPrivateKey} writes. */
  readonly weak: boolean;
}

/** How {@link decryptPrivateKey} reads a file. */
export interface DecryptOptions {
  /** The run's derived keys. */
  readonly keys: PassphraseKeys;
  /** The passphrase itself, for schemes other than ours, which OpenSSL decrypts. */
  readonly passphrase: string;
  /** Where the file is, for messages. */
  readonly path: string;
  /** Whether the passphrase already opened the store's canary (the sealed bootstrap token). */
  readonly passphraseVerified: boolean;
}

/**
 * Decrypts a key file written by {@link encryptPrivateKey} (or by Node's `KeyObject.export`,
 * as earlier versions did) back to unencrypted PKCS#8 PEM.
 *
 * A file that is not a well-formed `ENCRYPTED PRIVATE KEY` block throws
 * `HAKOC_KEYSTORE_CORRUPT`. Any failure to decrypt a well-formed one throws
 * `HAKOC_KEYSTORE_PASSPHRASE`: CBC padding lets about 1 wrong passphrase in 256 through, whose
 * garbage then fails later as something else, so the failure's kind says nothing; only a
 * well-formed container decides corruption.
 */
export async function decryptPrivateKey(
  encrypted: string,
  options: DecryptOptions,
): Promise<DecryptedKey> {
  const { path } = options;
  const decoded = decodePbes2(encrypted);
  if (decoded === undefined) {
    throw new HakocError('HAKOC_KEYSTORE_CORRUPT', `${path} is not an encrypted private key`, {
      hint: 'Every key in the store must be passphrase-encrypted PKCS#8; restore it from a backup.',
    });
  }
  let key: KeyObject;
  let weak = true;
  try {
    if (decoded.scheme === 'other') {
      key = createPrivateKey({ key: encrypted, format: 'pem', passphrase: options.passphrase });
    } else {
      const { salt, iterations, digest, iv, ciphertext } = decoded.envelope;
      const aesKey = await options.keys.derive(salt, iterations, digest);
      const decipher = createDecipheriv('aes-256-cbc', aesKey, iv);
      const der = Buffer.concat([decipher.update(ciphertext), decipher.final()]);
      key = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
      weak = digest !== 'sha256' || iterations < pbkdf2Iterations;
    }
  } catch (cause) {
    throw new HakocError(
      'HAKOC_KEYSTORE_PASSPHRASE',
      options.passphraseVerified
        ? `${path} was encrypted with another passphrase than the rest of this key store`
        : `The passphrase does not open ${path}`,
      {
        cause,
        hint: options.passphraseVerified
          ? `Restore ${path} from a backup of this store, or remove it with its certificate to issue a new one.`
          : 'Use the passphrase this key store was created with.',
      },
    );
  }
  return { pem: key.export({ type: 'pkcs8', format: 'pem' }).toString(), weak };
}

/** The DER SubjectPublicKeyInfo of a private key, to compare with a certificate's key. */
export function publicKeyDerOf(privateKeyPem: string): Buffer {
  return createPublicKey(privateKeyPem).export({ type: 'spki', format: 'der' });
}

/** The SubjectPublicKeyInfo PEM of a private key (the service-account `sa.pub`). */
export function publicKeyPemOf(privateKeyPem: string): string {
  return createPublicKey(privateKeyPem).export({ type: 'spki', format: 'pem' }).toString();
}

/** Which {@link KeyAlgorithm} a private key uses, or undefined for one we never make. */
export function keyAlgorithmOf(privateKeyPem: string): KeyAlgorithm | undefined {
  const key = createPrivateKey(privateKeyPem);
  const details = key.asymmetricKeyDetails;
  if (key.asymmetricKeyType === 'ec' && details?.namedCurve === 'prime256v1') return 'ecdsa-p256';
  if (key.asymmetricKeyType === 'rsa') {
    const bits = details?.modulusLength;
    if (bits === 2048 || bits === 3072 || bits === 4096) return `rsa-${bits}`;
  }
  return undefined;
}

/** The WebCrypto signing key (and its signature algorithm) for a PKCS#8 PEM private key. */
export function signingKeyOf(privateKeyPem: string, path: string): SigningKey {
  const algorithm = keyAlgorithmOf(privateKeyPem);
  if (algorithm === undefined) {
    throw new HakocError('HAKOC_KEYSTORE_CORRUPT', `${path} is not an ECDSA P-256 or RSA key`, {
      hint: 'The store only holds keys hakoc made; restore the file from a backup.',
    });
  }
  const importParams = generationParams[algorithm];
  const key = createPrivateKey(privateKeyPem).toCryptoKey(importParams, false, ['sign']);
  const signature =
    algorithm === 'ecdsa-p256'
      ? { name: 'ECDSA', hash: 'SHA-256' }
      : { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
  return { key, signature };
}

/** A private key ready to sign certificates, with the signature algorithm it needs. */
export interface SigningKey {
  readonly key: webcrypto.CryptoKey;
  readonly signature: { readonly name: string; readonly hash: string };
}
