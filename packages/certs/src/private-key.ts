import { createPrivateKey, createPublicKey, type KeyObject, type webcrypto } from 'node:crypto';
import { HakocError } from './errors.js';
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
 * Encrypts a private key with a passphrase as PKCS#8 (PBES2, AES-256-CBC), the format
 * `openssl pkey -passin` reads. WebCrypto cannot write encrypted PKCS#8, so this uses a
 * `node:crypto` key object.
 */
export function encryptPrivateKey(pem: string, passphrase: string): string {
  return createPrivateKey(pem)
    .export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase })
    .toString();
}

const encryptedHeader = '-----BEGIN ENCRYPTED PRIVATE KEY-----';

/**
 * Decrypts a key file written by {@link encryptPrivateKey} back to unencrypted PKCS#8 PEM.
 * Throws `HAKOC_KEYSTORE_PASSPHRASE` when the passphrase does not open it and
 * `HAKOC_KEYSTORE_CORRUPT` when the file is not an encrypted key at all.
 */
export function decryptPrivateKey(encrypted: string, passphrase: string, path: string): string {
  if (!encrypted.trimStart().startsWith(encryptedHeader)) {
    throw new HakocError('HAKOC_KEYSTORE_CORRUPT', `${path} is not an encrypted private key`, {
      hint: 'Every key in the store must be passphrase-encrypted PKCS#8; restore it from a backup.',
    });
  }
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: encrypted, format: 'pem', passphrase });
  } catch (cause) {
    const code = (cause as { code?: unknown }).code;
    if (code === 'ERR_OSSL_BAD_DECRYPT' || code === 'ERR_MISSING_PASSPHRASE') {
      throw new HakocError('HAKOC_KEYSTORE_PASSPHRASE', `The passphrase does not open ${path}`, {
        cause,
        hint: 'Use the passphrase the key store was created with (HAKOC_PASSPHRASE).',
      });
    }
    throw new HakocError('HAKOC_KEYSTORE_CORRUPT', `${path} cannot be read as a private key`, {
      cause,
      hint: 'Restore the file from a backup.',
    });
  }
  return key.export({ type: 'pkcs8', format: 'pem' }).toString();
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
