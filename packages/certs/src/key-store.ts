import { mkdir, readdir, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { removeStaleTempFiles, writeFileAtomic } from './atomic-write.js';
import { assembleClusterPki, type ClusterPki } from './cluster-pki.js';
import { HakocError } from './errors.js';
import { encryptPrivateKey, publicKeyPemOf } from './private-key.js';
import { type PkiChange, type ReconcileOptions, reconcilePki } from './reconcile.js';
import { type PkiRequest, validatePkiRequest } from './request.js';
import { seal } from './sealed-file.js';
import { revealString, type Secret } from './secret.js';
import { storeLayout } from './store-layout.js';
import { readStore } from './store-read.js';

/** Options shared by {@link loadOrCreatePki} and `renewLeaves`. */
export interface KeyStoreOptions {
  /** Encrypts every private key and the bootstrap token; at least 8 characters. */
  readonly passphrase: Secret | string;
  /** The time certificates are issued at. @default new Date() */
  readonly now?: Date;
}

/** What a key-store run returns. */
export interface KeyStoreResult {
  /** The complete PKI, keys decrypted in memory (as redacting {@link Secret}s). */
  readonly pki: ClusterPki;
  /** What this run created or re-issued; empty when the store already fitted the request. */
  readonly changes: readonly PkiChange[];
  /** Folders of etcd members the request no longer names; left in place, never deleted. */
  readonly stale: readonly string[];
}

const minimumPassphraseLength = 8;

interface PendingWrite {
  readonly path: string;
  readonly content: () => Promise<string>;
}

/** The files a change touches, in a crash-safe order: a new key always lands before its
 * certificate, so an interrupted run leaves at worst a key without a certificate, which the
 * next run completes. */
function writesFor(
  change: PkiChange,
  material: ReconcileMaterial,
  passphrase: string,
): PendingWrite[] {
  const encryptedKey = (pem: string) => async () => encryptPrivateKey(pem, passphrase);
  if (change.id === 'sa') {
    const key = material.serviceAccountKey;
    const publicKey = {
      path: storeLayout.serviceAccountPublicKey,
      content: async () => publicKeyPemOf(key),
    };
    return change.action === 'created'
      ? [{ path: storeLayout.serviceAccountKey, content: encryptedKey(key) }, publicKey]
      : [publicKey];
  }
  if (change.id === 'bootstrap-token') {
    const token = material.bootstrapToken;
    const json = JSON.stringify({
      token: token.token.reveal(),
      expires: token.expires.toISOString(),
    });
    return [{ path: storeLayout.bootstrapToken, content: () => seal(json, passphrase) }];
  }
  const certificate = material.certificates.get(change.id) ?? '';
  const writeCertificate = {
    path: storeLayout.certificate(change.id),
    content: async () => certificate,
  };
  if (change.action !== 'created') return [writeCertificate];
  const key = material.keys.get(change.id) ?? '';
  return [{ path: storeLayout.key(change.id), content: encryptedKey(key) }, writeCertificate];
}

type ReconcileMaterial = Awaited<ReturnType<typeof reconcilePki>>['material'];

/** etcd member folders that the request no longer names. */
async function staleMemberFolders(dir: string, request: PkiRequest): Promise<string[]> {
  const members = new Set(request.etcdMembers.map((member) => member.name));
  try {
    const entries = await readdir(join(dir, 'etcd'), { withFileTypes: true });
    return entries
      .filter((entry) => entry.isDirectory() && !members.has(entry.name))
      .map((entry) => `etcd/${entry.name}/`)
      .sort();
  } catch {
    return [];
  }
}

/**
 * The shared body of {@link loadOrCreatePki} and `renewLeaves`: read and check everything,
 * decide every change in memory, and only then write — so any error leaves the store as it was.
 */
export async function syncKeyStore(
  dir: string,
  request: PkiRequest,
  options: KeyStoreOptions,
  extra: Omit<ReconcileOptions, 'now'> = {},
): Promise<KeyStoreResult> {
  validatePkiRequest(request);
  const passphrase = revealString(options.passphrase);
  if (passphrase.length < minimumPassphraseLength) {
    throw new HakocError(
      'HAKOC_KEYSTORE_PASSPHRASE',
      `The key store passphrase must have at least ${minimumPassphraseLength} characters`,
      { hint: 'Set HAKOC_PASSPHRASE to a longer passphrase.' },
    );
  }
  const existing = await stat(dir).catch(() => undefined);
  if (existing !== undefined && !existing.isDirectory()) {
    throw new HakocError('HAKOC_KEYSTORE_IO', `${dir} is not a directory`, {
      hint: 'Point --dir at a directory (it is created when missing).',
    });
  }

  const stored = await readStore(dir, request, passphrase);
  const { material, changes } = await reconcilePki(request, stored.material, {
    ...extra,
    now: options.now ?? new Date(),
  });
  const allChanges = [...changes];
  const saKeyExisted = stored.material.serviceAccountKey !== undefined;
  if (saKeyExisted) {
    const expected = publicKeyPemOf(material.serviceAccountKey);
    if (stored.serviceAccountPublicKey === undefined) {
      allChanges.push({ id: 'sa', action: 'completed', reason: 'sa.pub missing for sa.key' });
    } else if (stored.serviceAccountPublicKey !== expected) {
      throw new HakocError('HAKOC_KEYSTORE_CORRUPT', 'sa.pub does not belong to sa.key', {
        hint: 'Delete sa.pub; the next run writes it again from sa.key.',
      });
    }
  }

  const writes = allChanges.flatMap((change) => writesFor(change, material, passphrase));
  if (writes.length > 0) {
    // mkdir's mode applies to every folder it creates: the store and its subfolders are 0700.
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const folders = [...new Set(writes.map((write) => dirname(join(dir, write.path))))];
    for (const folder of folders) {
      await mkdir(folder, { recursive: true, mode: 0o700 });
      await removeStaleTempFiles(folder);
    }
    for (const write of writes) {
      await writeFileAtomic(join(dir, write.path), await write.content());
    }
  }
  return {
    pki: assembleClusterPki(request, material),
    changes: allChanges,
    stale: await staleMemberFolders(dir, request),
  };
}

/**
 * Loads the cluster PKI from an encrypted key store in `dir`, creating whatever is missing.
 *
 * - First run: creates the folder (0700) and every key and certificate (files 0600).
 * - Later runs: load and check everything and change nothing, unless the request changed —
 *   then only the leaves it affects are re-issued (with their existing keys).
 * - A wrong passphrase (`HAKOC_KEYSTORE_PASSPHRASE`), an unreadable or half-present file
 *   (`HAKOC_KEYSTORE_CORRUPT`) or a certificate from another CA (`HAKOC_KEYSTORE_FOREIGN_CA`)
 *   throws before anything is written.
 *
 * Every write is atomic (temporary file, fsync, rename). `request.keyAlgorithm` applies to
 * keys created from now on; existing keys are kept.
 */
export function loadOrCreatePki(
  dir: string,
  request: PkiRequest,
  options: KeyStoreOptions,
): Promise<KeyStoreResult> {
  return syncKeyStore(dir, request, options);
}
