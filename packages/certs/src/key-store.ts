import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { removeDurably, removeStaleTempFiles, writeFileAtomic } from './atomic-write.js';
import { type CaRotation, caRotationAt, caRotationText } from './ca-rotation.js';
import { assembleClusterPki, type ClusterPki } from './cluster-pki.js';
import { HakocError } from './errors.js';
import { issueIncomingCa } from './incoming-ca.js';
import { PassphraseKeys } from './passphrase-keys.js';
import { encryptPrivateKey, publicKeyPemOf } from './private-key.js';
import type { CaId } from './profiles.js';
import {
  type CaMaterial,
  type PkiChange,
  type PkiMaterial,
  type ReconcileOptions,
  reconcilePki,
} from './reconcile.js';
import { type PkiRequest, validatePkiRequest } from './request.js';
import { seal } from './sealed-file.js';
import { revealString, type Secret } from './secret.js';
import { storeLayout } from './store-layout.js';
import { lockStore, type StoreLock } from './store-lock.js';
import { tightenPermissions } from './store-permissions.js';
import { readStore, type StoredFiles } from './store-read.js';

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
  /** The CA rotation in progress after this run; undefined when there is none. */
  readonly caRotation: CaRotation | undefined;
  /** What this run created or re-issued; empty when the store already fitted the request. */
  readonly changes: readonly PkiChange[];
  /** Folders of etcd members the request no longer names; left in place, never deleted. */
  readonly stale: readonly string[];
  /**
   * Store files this run encrypted again with today's parameters because they were written
   * with older ones (fewer PBKDF2 iterations, other scrypt parameters); content unchanged.
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

/** A CA rotation step a run takes besides bringing the store in line with the request. */
export type CaRotationStep =
  | {
      readonly kind: 'start';
      readonly cas: readonly CaId[];
      readonly overlapMs: number;
    }
  | {
      readonly kind: 'switch' | 'finish';
      /** Go ahead before the overlap has passed. */
      readonly force: boolean;
    };

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
  step?: CaRotationStep,
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
    return await syncLocked(dir, request, options, extra, passphrase, lock, step);
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
  step: CaRotationStep | undefined,
): Promise<KeyStoreResult> {
  const keys = new PassphraseKeys(passphrase);
  const encryptedKey = (pem: string) => () => encryptPrivateKey(pem, keys);
  const now = options.now ?? new Date();
  const stored = await readStore(dir, request, passphrase, keys);
  const planned = await planRotationStep(request, stored, step, now, encryptedKey);
  const { material, changes } = await reconcilePki(request, planned.existing, { ...extra, now });
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

  // The sealed token goes first: it is the store's passphrase check, so even a first run cut
  // short leaves one behind for the next run.
  const ordered = [
    ...allChanges.filter((change) => change.id === 'bootstrap-token'),
    ...allChanges.filter((change) => change.id !== 'bootstrap-token'),
  ];
  const writes = [
    ...planned.writes,
    ...ordered.flatMap((change) => writesFor(change, material, encryptedKey, passphrase)),
  ];
  const written = new Set(writes.map((write) => write.path));
  const reencrypted = stored.outdatedEncryption.filter((path) => !written.has(path));
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
  // A finish commits by removing the record; the old CAs, keys included, go after it.
  // Rotation folders the record does not account for are what a crash left.
  const finished = step?.kind === 'finish';
  if (finished) await removeDurably(join(dir, storeLayout.caRotation));
  const leftovers = finished ? [storeLayout.incomingDir, storeLayout.retiringDir] : stored.orphaned;
  for (const folder of leftovers) {
    lock.assertHeld();
    await rm(join(dir, folder), { recursive: true, force: true });
  }
  const outside = { ...material, incoming: new Map(), retiring: new Map() };
  return {
    pki: assembleClusterPki(request, finished ? outside : material),
    caRotation: finished ? undefined : planned.rotation,
    changes: allChanges,
    stale: await staleMemberFolders(dir, request),
    reencrypted,
    permissionsTightened,
  };
}

/** What a rotation step changes before the run reconciles: the material, the first writes. */
interface PlannedStep {
  readonly existing: PkiMaterial;
  readonly rotation: CaRotation | undefined;
  readonly writes: readonly PendingWrite[];
}

function noRotation(): HakocError {
  return new HakocError('HAKOC_CA_ROTATION_NONE', 'No CA rotation is in progress', {
    hint: 'Start one with `hakoc certs rotate-ca SPEC`, then apply.',
  });
}

/** Refuses a step whose phase has not lasted the rotation's overlap yet. */
function checkOverlap(rotation: CaRotation, step: 'switch' | 'finish', now: Date, force: boolean) {
  if (force || now >= rotation.nextStepAt) return;
  throw new HakocError(
    'HAKOC_CA_ROTATION_OVERLAP',
    `The CA rotation has been ${rotation.phase} since ${rotation.phaseStartedAt.toISOString()}; its ${step} may go ahead from ${rotation.nextStepAt.toISOString()}`,
    {
      hint:
        `Wait until then, so that every machine has rolled and every kubeconfig in use holds ` +
        `the new CA, or pass --force once the apply after the last step has finished.`,
    },
  );
}

/** The writes that copy live CA files into a rotation's folder (keys before certificates). */
function copyCaWrites(
  cas: ReadonlyMap<CaId, CaMaterial>,
  paths: { certificate: (id: string) => string; key: (id: string) => string },
  encryptedKey: (pem: string) => () => Promise<string>,
): PendingWrite[] {
  return [...cas].flatMap(([id, ca]): PendingWrite[] => [
    { path: paths.key(id), content: encryptedKey(ca.key) },
    { path: paths.certificate(id), content: async () => ca.certificate },
  ]);
}

/**
 * Checks a rotation step against the store and plans it, all before anything is written.
 *
 * Each step writes the CA files it needs first and the record last; the run itself then does
 * whatever the recorded phase asks (installs the new CAs and re-signs the leaves once
 * switched, see `reconcilePki`), as every later run would. So a crash before the record leaves
 * the store as it was (the next run removes the unrecorded files), and after it the next run
 * completes the step. A finish only checks here; its removals come after the run's writes.
 */
async function planRotationStep(
  request: PkiRequest,
  stored: StoredFiles,
  step: CaRotationStep | undefined,
  now: Date,
  encryptedKey: (pem: string) => () => Promise<string>,
): Promise<PlannedStep> {
  const { material, rotation } = stored;
  if (step === undefined) return { existing: material, rotation, writes: [] };
  if (step.kind === 'start') {
    if (rotation !== undefined) {
      throw new HakocError(
        'HAKOC_CA_ROTATION_IN_PROGRESS',
        `A rotation of ${rotation.cas.join(', ')} started ${rotation.startedAt.toISOString()} is in progress (${rotation.phase})`,
        {
          hint: 'Take it to its end first: `hakoc certs rotate-ca SPEC --switch`, then `--finish`.',
        },
      );
    }
    for (const id of step.cas) {
      if (!material.certificates.has(id) || !material.keys.has(id)) {
        throw new HakocError('HAKOC_CA_ROTATION_NO_CA', `The key store has no ${id} to rotate`, {
          hint: 'Create the key store first (`hakoc certs init SPEC`).',
        });
      }
    }
    const incoming = new Map<CaId, CaMaterial>();
    for (const id of step.cas) incoming.set(id, await issueIncomingCa(request, id, now));
    const started = caRotationAt(step.cas, 'trusting', now, now, step.overlapMs);
    const writes = copyCaWrites(
      incoming,
      { certificate: storeLayout.incomingCertificate, key: storeLayout.incomingKey },
      encryptedKey,
    );
    writes.push({ path: storeLayout.caRotation, content: async () => caRotationText(started) });
    return { existing: { ...material, incoming }, rotation: started, writes };
  }
  if (rotation === undefined) throw noRotation();
  if (step.kind === 'finish') {
    if (rotation.phase !== 'switched') {
      throw new HakocError(
        'HAKOC_CA_ROTATION_PHASE',
        'The CA rotation has not switched to the new CAs yet; finishing now would distrust every certificate in use',
        { hint: 'Run `hakoc certs rotate-ca SPEC --switch` and apply first.' },
      );
    }
    checkOverlap(rotation, 'finish', now, step.force);
    return { existing: material, rotation, writes: [] };
  }
  if (rotation.phase !== 'trusting') {
    throw new HakocError('HAKOC_CA_ROTATION_PHASE', 'The CA rotation has already switched', {
      hint: 'Finish it with `hakoc certs rotate-ca SPEC --finish` once the overlap has passed.',
    });
  }
  checkOverlap(rotation, 'switch', now, step.force);
  const retiring = new Map<CaId, CaMaterial>(
    rotation.cas.map((id) => [
      id,
      {
        certificate: produced(material.certificates.get(id), `${id}.crt`),
        key: produced(material.keys.get(id), `${id}.key`),
      },
    ]),
  );
  const switched = caRotationAt(
    rotation.cas,
    'switched',
    rotation.startedAt,
    now,
    rotation.overlapMs,
  );
  const writes = copyCaWrites(
    retiring,
    { certificate: storeLayout.retiringCertificate, key: storeLayout.retiringKey },
    encryptedKey,
  );
  writes.push({ path: storeLayout.caRotation, content: async () => caRotationText(switched) });
  return { existing: { ...material, retiring }, rotation: switched, writes };
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
 * keys created from now on; existing keys are kept. A CA rotation in progress (see
 * `startCaRotation`) is carried on: its CAs are checked, its trust bundles are in the PKI, and a
 * step a crash cut short is completed.
 */
export function loadOrCreatePki(
  dir: string,
  request: PkiRequest,
  options: KeyStoreOptions,
): Promise<KeyStoreResult> {
  return syncKeyStore(dir, request, options);
}
