import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { type BootstrapToken, bootstrapTokenFrom } from './bootstrap-token.js';
import { type CaRotation, readCaRotation } from './ca-rotation.js';
import { HakocError } from './errors.js';
import { type PassphraseKeys, pbkdf2Iterations } from './passphrase-keys.js';
import { decodePbes2 } from './pbes2.js';
import { decryptPrivateKey } from './private-key.js';
import { type CaId, certificateProfiles } from './profiles.js';
import type { CaMaterial, PkiMaterial } from './reconcile.js';
import type { PkiRequest } from './request.js';
import { needsResealing, unseal } from './sealed-file.js';
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
  /** The CA rotation in progress; its retiring CAs are in `material.retiring`. */
  readonly rotation: CaRotation | undefined;
  /** Rotation folders the record does not account for: left by a crash, to be removed. */
  readonly orphaned: readonly string[];
  readonly serviceAccountPublicKey: string | undefined;
  /** Store paths encrypted otherwise than what is written today (weaker, older); sealed again. */
  readonly outdatedEncryption: readonly string[];
  /** The plaintext side file with the token's public id and expiry, as stored. */
  readonly tokenExpiryFile: string | undefined;
}

/** Stands for `sa.key` among the profile ids; no profile has it (ids never hold a space). */
const serviceAccountId = ' sa';
/** One CA a rotation keeps in `incoming/` or `retiring/`. */
interface RotationFile {
  readonly id: CaId;
  readonly folder: 'incoming' | 'retiring';
  readonly certificatePath: string;
  readonly keyPath: string;
  /** Stands for its key among the profile ids, like {@link serviceAccountId}. */
  readonly keyId: string;
}

function rotationFile(id: CaId, folder: RotationFile['folder']): RotationFile {
  const incoming = folder === 'incoming';
  return {
    id,
    folder,
    certificatePath: (incoming ? storeLayout.incomingCertificate : storeLayout.retiringCertificate)(
      id,
    ),
    keyPath: (incoming ? storeLayout.incomingKey : storeLayout.retiringKey)(id),
    keyId: ` ${folder} ${id}`,
  };
}

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
  const rotation = await readCaRotation(dir);
  const rotating = rotation?.cas ?? [];
  // Which CA folders the record's phase accounts for; the others are a crash's leftovers.
  const kept = {
    incoming: rotation !== undefined,
    retiring: rotation?.phase === 'switched',
  };
  const orphaned = (
    await Promise.all(
      ([storeLayout.incomingDir, storeLayout.retiringDir] as const).map(async (folder) => {
        const wanted = folder === storeLayout.incomingDir ? kept.incoming : kept.retiring;
        const present = await stat(join(dir, folder)).then(
          () => true,
          () => false,
        );
        return present && !wanted ? [folder] : [];
      }),
    )
  ).flat();
  const rotationFiles: RotationFile[] = rotating.flatMap((id): RotationFile[] => [
    ...(kept.incoming ? [rotationFile(id, 'incoming')] : []),
    ...(kept.retiring ? [rotationFile(id, 'retiring')] : []),
  ]);
  const [certificateTexts, keyTexts, saKey, sealedToken, saPub, tokenExpiryFile, rotationTexts] =
    await Promise.all([
      Promise.all(profiles.map(({ id }) => readStoreFile(dir, storeLayout.certificate(id)))),
      Promise.all(profiles.map(({ id }) => readStoreFile(dir, storeLayout.key(id)))),
      readStoreFile(dir, storeLayout.serviceAccountKey),
      readStoreFile(dir, storeLayout.bootstrapToken),
      readStoreFile(dir, storeLayout.serviceAccountPublicKey),
      readStoreFile(dir, storeLayout.bootstrapTokenExpiry),
      Promise.all(
        rotationFiles.map((file) =>
          Promise.all([readStoreFile(dir, file.certificatePath), readStoreFile(dir, file.keyPath)]),
        ),
      ),
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
  // A step writes the record only once its CA files are in place.
  rotationFiles.forEach((file, i) => {
    const [certificate, key] = rotationTexts[i] ?? [];
    if (certificate === undefined || key === undefined) {
      throw new HakocError(
        'HAKOC_KEYSTORE_CORRUPT',
        `${storeLayout.caRotation} needs ${file.certificatePath} and ${file.keyPath}, but one is missing`,
        { hint: 'Restore the rotation folders from a backup of this store.' },
      );
    }
    keyFiles.push({ id: file.keyId, path: file.keyPath, text: key });
  });

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
  const outdatedEncryption: string[] = [];
  const bootstrapToken =
    sealedToken === undefined ? undefined : await openToken(sealedToken, passphrase);
  if (sealedToken !== undefined && needsResealing(sealedToken)) {
    outdatedEncryption.push(storeLayout.bootstrapToken);
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
    // A rotation's keys go when it finishes (or move into place): not worth sealing again.
    if (result.value.weak && !rotationFiles.some((rotationKey) => rotationKey.keyId === file.id)) {
      outdatedEncryption.push(file.path);
    }
  }
  const serviceAccountKey = decrypted.get(serviceAccountId);
  decrypted.delete(serviceAccountId);
  const incoming = new Map<CaId, CaMaterial>();
  const retiring = new Map<CaId, CaMaterial>();
  rotationFiles.forEach((file, i) => {
    const [certificate] = rotationTexts[i] ?? [];
    const key = decrypted.get(file.keyId);
    decrypted.delete(file.keyId);
    if (certificate === undefined || key === undefined) return;
    (file.folder === 'incoming' ? incoming : retiring).set(file.id, { certificate, key });
  });
  return {
    rotation,
    orphaned,
    material: {
      certificates,
      keys: decrypted,
      serviceAccountKey,
      bootstrapToken,
      incoming,
      retiring,
    },
    serviceAccountPublicKey: saPub,
    outdatedEncryption,
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
