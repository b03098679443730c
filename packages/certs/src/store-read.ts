import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type BootstrapToken, bootstrapTokenFrom } from './bootstrap-token.js';
import { HakocError } from './errors.js';
import { type PassphraseKeys, pbkdf2Iterations } from './passphrase-keys.js';
import { decodePbes2 } from './pbes2.js';
import { decryptPrivateKey } from './private-key.js';
import { certificateProfiles } from './profiles.js';
import type { PkiMaterial } from './reconcile.js';
import type { PkiRequest } from './request.js';
import { isWeaklySealed, unseal } from './sealed-file.js';
import { storeLayout } from './store-layout.js';

/** Reads a store file; undefined when it does not exist. */
async function readStoreFile(dir: string, path: string): Promise<string | undefined> {
  try {
    return await readFile(join(dir, path), 'utf8');
  } catch (cause) {
    if ((cause as { code?: unknown }).code === 'ENOENT') return undefined;
    throw new HakocError('HAKOC_KEYSTORE_IO', `Cannot read ${path} in the key store ${dir}`, {
      cause,
      hint: 'Check the file and its permissions.',
    });
  }
}

/** What the store holds for a request, decrypted. */
export interface StoredFiles {
  readonly material: PkiMaterial;
  readonly serviceAccountPublicKey: string | undefined;
  /** Store paths whose encryption is weaker than what is written today; sealed again. */
  readonly weaklyEncrypted: readonly string[];
  /** The plaintext side file with the token's public id and expiry, as stored. */
  readonly tokenExpiryFile: string | undefined;
}

/** Stands for `sa.key` among the profile ids; no profile has it (ids never hold a space). */
const serviceAccountId = ' sa';

interface KeyFile {
  readonly id: string;
  readonly path: string;
  readonly text: string;
}

/**
 * Reads and decrypts whatever of the request's PKI the store holds.
 *
 * The passphrase is checked once, first, on the sealed bootstrap token: AES-GCM answers "wrong
 * passphrase" cleanly, where a CBC-encrypted key file cannot (see `decryptPrivateKey`). The
 * key files' PBKDF2 derivation starts at the same time on the thread pool, and is done once
 * for the whole store (see `passphrase-keys.ts`).
 */
export async function readStore(
  dir: string,
  request: PkiRequest,
  passphrase: string,
  keys: PassphraseKeys,
): Promise<StoredFiles> {
  const profiles = certificateProfiles(request);
  const [certificateTexts, keyTexts, saKey, sealedToken, saPub, tokenExpiryFile] =
    await Promise.all([
      Promise.all(profiles.map(({ id }) => readStoreFile(dir, storeLayout.certificate(id)))),
      Promise.all(profiles.map(({ id }) => readStoreFile(dir, storeLayout.key(id)))),
      readStoreFile(dir, storeLayout.serviceAccountKey),
      readStoreFile(dir, storeLayout.bootstrapToken),
      readStoreFile(dir, storeLayout.serviceAccountPublicKey),
      readStoreFile(dir, storeLayout.bootstrapTokenExpiry),
    ]);
  const certificates = new Map<string, string>();
  profiles.forEach(({ id }, i) => {
    const text = certificateTexts[i];
    if (text !== undefined) certificates.set(id, text);
  });
  const keyFiles: KeyFile[] = profiles.flatMap(({ id }, i) => {
    const text = keyTexts[i];
    return text === undefined ? [] : [{ id, path: storeLayout.key(id), text }];
  });
  if (saKey !== undefined) {
    keyFiles.push({ id: serviceAccountId, path: storeLayout.serviceAccountKey, text: saKey });
  }

  // Start the one full-strength derivation now, so it runs beside the passphrase check.
  for (const file of keyFiles) {
    const decoded = decodePbes2(file.text);
    if (decoded?.scheme !== 'pbes2-aes-256-cbc') continue;
    const { envelope } = decoded;
    if (envelope.digest === 'sha256' && envelope.iterations === pbkdf2Iterations) {
      keys.adoptStoreSalt(envelope.salt);
      break;
    }
  }
  const weaklyEncrypted: string[] = [];
  const bootstrapToken =
    sealedToken === undefined ? undefined : await openToken(sealedToken, passphrase);
  if (sealedToken !== undefined && isWeaklySealed(sealedToken)) {
    weaklyEncrypted.push(storeLayout.bootstrapToken);
  }

  // Every key at once (their derivations are shared); the first failure in store order wins,
  // so a broken CA key is reported before the leaves it signed.
  const settled = await Promise.allSettled(
    keyFiles.map((file) =>
      decryptPrivateKey(file.text, {
        keys,
        passphrase,
        path: file.path,
        passphraseVerified: bootstrapToken !== undefined,
      }),
    ),
  );
  const decrypted = new Map<string, string>();
  for (const [i, result] of settled.entries()) {
    const file = keyFiles[i];
    if (file === undefined) continue;
    if (result.status === 'rejected') throw result.reason;
    decrypted.set(file.id, result.value.pem);
    if (result.value.weak) weaklyEncrypted.push(file.path);
  }
  const serviceAccountKey = decrypted.get(serviceAccountId);
  decrypted.delete(serviceAccountId);
  return {
    material: {
      certificates,
      keys: decrypted,
      serviceAccountKey,
      bootstrapToken,
    },
    serviceAccountPublicKey: saPub,
    weaklyEncrypted,
    tokenExpiryFile,
  };
}

async function openToken(sealed: string, passphrase: string): Promise<BootstrapToken> {
  const path = storeLayout.bootstrapToken;
  const text = await unseal(sealed, passphrase, path);
  try {
    const stored = JSON.parse(text) as { token?: unknown; expires?: unknown };
    if (typeof stored.token === 'string' && typeof stored.expires === 'string') {
      return bootstrapTokenFrom(stored.token, new Date(stored.expires));
    }
  } catch (cause) {
    throw new HakocError('HAKOC_KEYSTORE_CORRUPT', `${path} holds no bootstrap token`, { cause });
  }
  throw new HakocError('HAKOC_KEYSTORE_CORRUPT', `${path} holds no bootstrap token`);
}
