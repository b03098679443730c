import { mkdir, readdir, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { removeStaleTempFiles, writeFileAtomic } from './atomic-write.js';
import { assembleClusterPki, type ClusterPki } from './cluster-pki.js';
import { HakocError } from './errors.js';
import { PassphraseKeys } from './passphrase-keys.js';
import { encryptPrivateKey, publicKeyPemOf } from './private-key.js';
import { type PkiChange, type ReconcileOptions, reconcilePki } from './reconcile.js';
import { type PkiRequest, validatePkiRequest } from './request.js';
import { seal } from './sealed-file.js';
import { revealString, type Secret } from './secret.js';
import { storeLayout } from './store-layout.js';
import { lockStore, type StoreLock } from './store-lock.js';
import { tightenPermissions } from './store-permissions.js';
import { readStore } from './store-read.js';

/** Options shared by {@link loadOrCreatePki} and `renewLeaves`. */
export interface KeyStoreOptions {
  /** Encrypts every private key and the bootstrap token; at least 8 characters. */
  readonly passphrase: Secret | string;
  /** The time certificates are issued at. @default new Date() */
  readonly now?: Date;
  /**
   * How long to wait for another run holding the store's lock before throwing
   * `HAKOC_KEYSTORE_LOCKED`, in milliseconds. @default 30000
   */
  readonly lockWaitMs?: number;
}

/** What a key-store run returns. */
export interface KeyStoreResult {
  /** The complete PKI, keys decrypted in memory (as redacting {@link Secret}s). */
  readonly pki: ClusterPki;
  /** What this run created or re-issued; empty when the store already fitted the request. */
  readonly changes: readonly PkiChange[];
  /** Folders of etcd members the request no longer names; left in place, never deleted. */
  readonly stale: readonly string[];
  /**
   * Store files this run encrypted again with today's parameters because they were written
   * with weaker ones (fewer PBKDF2 iterations, a cheaper scrypt); content unchanged.
   */
  readonly reencrypted: readonly string[];
  /** Store files and folders whose permissions this run narrowed to 0600 / 0700. */
  readonly permissionsTightened: readonly string[];
}

const minimumPassphraseLength = 8;
const defaultLockWaitMs = 30_000;

interface PendingWrite {
  readonly path: string;
  readonly content: () => Promise<string>;
}

type ReconcileMaterial = Awaited<ReturnType<typeof reconcilePki>>['material'];

/** A value the run itself produced; its absence is a bug in this package, never a bad store. */
function produced(value: string | undefined, what: string): string {
  if (value === undefined) throw new TypeError(`key store: nothing to write for ${what}`);
  return value;
}

/** The plaintext side file beside the sealed token (see `storeLayout.bootstrapTokenExpiry`). */
function tokenExpiryText(material: ReconcileMaterial): string {
  const { id, expires } = material.bootstrapToken;
  return `${JSON.stringify({ id, expires: expires.toISOString() })}\n`;
}

/** The files a change touches, in a crash-safe order: a new key always lands before its
 * certificate, so an interrupted run leaves at worst a key without a certificate, which the
 * next run completes. */
function writesFor(
  change: PkiChange,
  material: ReconcileMaterial,
  encryptedKey: (pem: string) => () => Promise<string>,
  passphrase: string,
): PendingWrite[] {
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
  const certificate = produced(material.certificates.get(change.id), `${change.id}.crt`);
  const writeCertificate = {
    path: storeLayout.certificate(change.id),
    content: async () => certificate,
  };
  if (change.action !== 'created') return [writeCertificate];
  const key = produced(material.keys.get(change.id), `${change.id}.key`);
  return [{ path: storeLayout.key(change.id), content: encryptedKey(key) }, writeCertificate];
}

/** Writes that seal weakly encrypted files again, with the same content. */
function reencryptionWrites(
  paths: readonly string[],
  material: ReconcileMaterial,
  encryptedKey: (pem: string) => () => Promise<string>,
  passphrase: string,
): PendingWrite[] {
  const keyIds = new Map(
    [...material.keys.keys()].map((id): [string, string] => [storeLayout.key(id), id]),
  );
  return paths.map((path): PendingWrite => {
    if (path === storeLayout.bootstrapToken) {
      return writesFor(
        { id: 'bootstrap-token', action: 'renewed', reason: '' },
        material,
        encryptedKey,
        passphrase,
      )[0] as PendingWrite;
    }
    const pem =
      path === storeLayout.serviceAccountKey
        ? material.serviceAccountKey
        : material.keys.get(produced(keyIds.get(path), path));
    return { path, content: encryptedKey(produced(pem, path)) };
  });
}

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
 * The shared body of {@link loadOrCreatePki} and `renewLeaves`: under the store's exclusive
 * lock, read and check everything, decide every change in memory, and only then write — so any
 * error leaves the store's files as they were, and two runs never mix their output.
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
      { hint: `Use a passphrase of ${minimumPassphraseLength} or more characters.` },
    );
  }
  const existing = await stat(dir).catch(() => undefined);
  if (existing !== undefined && !existing.isDirectory()) {
    throw new HakocError('HAKOC_KEYSTORE_IO', `${dir} is not a directory`, {
      hint: 'Point --dir at a directory (it is created when missing).',
    });
  }
  // The lock lives inside the store, so the folder must exist first. mkdir's mode applies to
  // every folder it creates: the store and its subfolders are 0700.
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const lock = await lockStore(dir, options.lockWaitMs ?? defaultLockWaitMs);
  try {
    return await syncLocked(dir, request, options, extra, passphrase, lock);
  } finally {
    await lock.release();
  }
}

async function syncLocked(
  dir: string,
  request: PkiRequest,
  options: KeyStoreOptions,
  extra: Omit<ReconcileOptions, 'now'>,
  passphrase: string,
  lock: StoreLock,
): Promise<KeyStoreResult> {
  const keys = new PassphraseKeys(passphrase);
  const stored = await readStore(dir, request, passphrase, keys);
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

  const encryptedKey = (pem: string) => () => encryptPrivateKey(pem, keys);
  // The sealed token goes first: it is the store's passphrase check, so even a first run cut
  // short leaves one behind for the next run.
  const ordered = [
    ...allChanges.filter((change) => change.id === 'bootstrap-token'),
    ...allChanges.filter((change) => change.id !== 'bootstrap-token'),
  ];
  const writes = ordered.flatMap((change) => writesFor(change, material, encryptedKey, passphrase));
  const written = new Set(writes.map((write) => write.path));
  const reencrypted = stored.weaklyEncrypted.filter((path) => !written.has(path));
  writes.push(...reencryptionWrites(reencrypted, material, encryptedKey, passphrase));
  const expiryText = tokenExpiryText(material);
  if (stored.tokenExpiryFile !== expiryText) {
    writes.push({ path: storeLayout.bootstrapTokenExpiry, content: async () => expiryText });
  }

  // Only once everything checked out: a failing run leaves even the modes as they were.
  const permissionsTightened = await tightenPermissions(dir);
  if (writes.length > 0) {
    const folders = [...new Set(writes.map((write) => dirname(join(dir, write.path))))];
    for (const folder of folders) {
      await mkdir(folder, { recursive: true, mode: 0o700 });
      await removeStaleTempFiles(folder);
    }
    for (const write of writes) {
      const content = await write.content();
      lock.assertHeld();
      await writeFileAtomic(join(dir, write.path), content);
    }
  }
  return {
    pki: assembleClusterPki(request, material),
    changes: allChanges,
    stale: await staleMemberFolders(dir, request),
    reencrypted,
    permissionsTightened,
  };
}

/**
 * Loads the cluster PKI from an encrypted key store in `dir`, creating whatever is missing.
 *
 * - First run: creates the folder (0700) and every key and certificate (files 0600).
 * - Later runs: load and check everything and change nothing, unless the request changed —
 *   then only the leaves it affects are re-issued (with their existing keys).
 * - Expired leaves are re-issued with their keys, and a bootstrap token that has expired or
 *   expires soon is replaced (see `tokenNeedsReplacing`); a leaf never outlives its CA, and an
 *   expired CA throws `HAKOC_PKI_CA_EXPIRED`.
 * - A wrong passphrase (`HAKOC_KEYSTORE_PASSPHRASE`), an unreadable or half-present file
 *   (`HAKOC_KEYSTORE_CORRUPT`) or a certificate from another CA (`HAKOC_KEYSTORE_FOREIGN_CA`)
 *   throws before anything is written.
 * - One run at a time: the store is locked for the whole run, and a second run waits for it
 *   (`lockWaitMs`), then throws `HAKOC_KEYSTORE_LOCKED`.
 * - Permissions wider than 0700 / 0600 are narrowed, and files encrypted with weaker
 *   parameters than today's are encrypted again (`permissionsTightened`, `reencrypted`).
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
