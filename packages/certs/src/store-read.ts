import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type BootstrapToken, bootstrapTokenFrom } from './bootstrap-token.js';
import { HakocError } from './errors.js';
import { decryptPrivateKey } from './private-key.js';
import { certificateProfiles } from './profiles.js';
import type { PkiMaterial } from './reconcile.js';
import type { PkiRequest } from './request.js';
import { unseal } from './sealed-file.js';
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
}

/** Reads and decrypts whatever of the request's PKI the store holds. */
export async function readStore(
  dir: string,
  request: PkiRequest,
  passphrase: string,
): Promise<StoredFiles> {
  const certificates = new Map<string, string>();
  const keys = new Map<string, string>();
  // CAs come first, so a wrong passphrase is reported on ca.key.
  for (const { id } of certificateProfiles(request)) {
    const certificate = await readStoreFile(dir, storeLayout.certificate(id));
    const key = await readStoreFile(dir, storeLayout.key(id));
    if (certificate !== undefined) certificates.set(id, certificate);
    if (key !== undefined) keys.set(id, decryptPrivateKey(key, passphrase, storeLayout.key(id)));
  }
  const saKey = await readStoreFile(dir, storeLayout.serviceAccountKey);
  const sealedToken = await readStoreFile(dir, storeLayout.bootstrapToken);
  return {
    material: {
      certificates,
      keys,
      serviceAccountKey:
        saKey === undefined
          ? undefined
          : decryptPrivateKey(saKey, passphrase, storeLayout.serviceAccountKey),
      bootstrapToken:
        sealedToken === undefined ? undefined : await openToken(sealedToken, passphrase),
    },
    serviceAccountPublicKey: await readStoreFile(dir, storeLayout.serviceAccountPublicKey),
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
