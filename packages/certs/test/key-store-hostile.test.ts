import { spawn } from 'node:child_process';
import { createPrivateKey } from 'node:crypto';
import { cpSync, existsSync, utimesSync } from 'node:fs';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inspect } from 'node:util';
import { isHakocError, loadOrCreatePki, type PkiRequest } from '@hakoc/certs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordReliability } from '../../core/test/reliability/support/results.js';
import { x509 } from '../src/x509-provider.js';
import { makeTempDir, passphrase, removeTempDir, sampleRequest, snapshotDir } from './fixtures.js';
import { writerRequest } from './key-store-hostile-requests.js';

// The key store against damage it will meet: files truncated, edited, emptied, swapped for
// another file of the store, and a process killed (SIGKILL) in the middle of writing it. Every
// time: a clear error that names the file (never a raw exception), nothing written, nothing
// lost; after a kill, the next run completes the store and keeps what was committed.

const area = 'Key store' as const;
const SEED = 20261212;
/** SIGKILLs per kind of write (a first store, a grown one). */
const KILLS_PER_WRITE = 4;
const request = sampleRequest({ etcdMembers: sampleRequest().etcdMembers.slice(0, 1) });
const STORE_CODES = [
  'HAKOC_KEYSTORE_CORRUPT',
  'HAKOC_KEYSTORE_PASSPHRASE',
  'HAKOC_KEYSTORE_FOREIGN_CA',
];

/** mulberry32: the same seed damages the same bytes. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

let root: string;
/** A complete store, copied for every case. */
let pristine: string;
let reference: Awaited<ReturnType<typeof loadOrCreatePki>>;

beforeAll(async () => {
  root = await makeTempDir();
  pristine = join(root, 'pristine');
  reference = await loadOrCreatePki(pristine, request, { passphrase });
}, 120_000);
afterAll(() => removeTempDir(root));

/** Store files (not folders, not the lock), relative to the store. */
async function storeFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
    .filter((path) => !path.startsWith('.lock'))
    .sort();
}

/**
 * One file of each sort the store holds (every file is read by the same code as others of its
 * sort): CA certificate and key, the etcd CA, leaf certificates and keys (an apiserver, an etcd
 * member, a kubeconfig user), the service-account pair, the sealed token and its expiry file.
 */
const REPRESENTATIVE =
  /^(ca\.(crt|key)|etcd\/ca\.crt|apiserver\.(crt|key)|etcd\/etcd-0\/peer\.(crt|key)|kubeconfig\/admin\.crt|sa\.(key|pub)|bootstrap-token\.(enc|expires))$/;

/** Every file's bytes, by path: equal maps mean equal stores. */
async function contentsOf(dir: string): Promise<Map<string, string>> {
  const contents = new Map<string, string>();
  for (const file of await storeFiles(dir)) {
    contents.set(file, (await readFile(join(dir, file))).toString('base64'));
  }
  return contents;
}

type Damage = (text: string, random: () => number, other: string) => string;

/** The ways a file gets damaged, named for the report. */
const DAMAGES: Record<string, Damage> = {
  truncated: (text, random) => text.slice(0, Math.floor(random() * text.length)),
  'one byte changed': (text, random) => {
    // Inside the base64 or JSON body, so the change is one a parser can miss.
    const at = 40 + Math.floor(random() * Math.max(1, text.length - 80));
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
    let replacement = text.charAt(at);
    while (replacement === text.charAt(at)) {
      replacement = alphabet.charAt(Math.floor(random() * alphabet.length));
    }
    return text.slice(0, at) + replacement + text.slice(at + 1);
  },
  emptied: () => '',
  'swapped for another store file': (_text, _random, other) => other,
  'binary junk': (_text, random) =>
    String.fromCharCode(...Array.from({ length: 300 }, () => Math.floor(random() * 256))),
};

async function outcomeOf(
  dir: string,
  changed: PkiRequest = request,
): Promise<{ ok: true } | { ok: false; error: unknown }> {
  try {
    await loadOrCreatePki(dir, changed, { passphrase, lockWaitMs: 1000 });
    return { ok: true };
  } catch (error) {
    return { ok: false, error };
  }
}

describe('a damaged key store', () => {
  it('gives a clear error naming the file, writes nothing, and loses nothing', async () => {
    const random = seededRandom(SEED);
    const files = (await storeFiles(pristine)).filter((file) => REPRESENTATIVE.test(file));
    const codes = new Map<string, number>();
    let harmless = 0;
    await recordReliability(
      {
        id: 'keystore-damage',
        area,
        test: `One file of each sort in a key store (${files.length} files: CA and leaf certificates, encrypted keys of CAs and leaves, an etcd member's, a kubeconfig user's, sa.key and sa.pub, the sealed bootstrap token and its expiry) damaged in turn, three of five ways each in rotation (truncated at a seeded byte, one seeded byte changed, emptied, swapped for another store file, binary junk), loaded with a pending change that would write`,
        unit: 'damaged stores',
        held: 'every load either fails with a key-store error (corrupt, passphrase, foreign CA) that names the damaged file and shows no key or passphrase, or (a change that leaves the content the same) loads the same PKI; no file is written; restoring the file gives back the same PKI with nothing to change',
        seed: SEED,
        file: import.meta.url,
      },
      async (cases) => {
        // A change that needs writes, so "nothing written" means something.
        const pending: PkiRequest = {
          ...request,
          controlPlane: [...request.controlPlane, { name: 'controller-9', ips: ['10.0.0.29'] }],
        };
        const kinds = Object.entries(DAMAGES);
        for (const [index, file] of files.entries()) {
          // Three kinds per file, in rotation, so every kind meets every sort of file.
          const chosen = [0, 1, 2].flatMap((k) => {
            const kind = kinds[(3 * index + k) % kinds.length];
            return kind === undefined ? [] : [kind];
          });
          for (const [name, damage] of chosen) {
            const dir = join(root, `case-${index}-${name.replaceAll(' ', '-')}`);
            cpSync(pristine, dir, { recursive: true });
            const original = await readFile(join(dir, file), 'latin1');
            const other = await readFile(
              join(pristine, files[(index + 1) % files.length] ?? file),
              'latin1',
            );
            const damaged = damage(original, random, other);
            await writeFile(join(dir, file), damaged, 'latin1');
            const before = await snapshotDir(dir);
            const outcome = await outcomeOf(dir, pending);
            const label = `${file} ${name}`;
            if (outcome.ok) {
              // Accepted only when what was read is still the same: then the change is written.
              harmless += 1;
              const reloaded = await loadOrCreatePki(dir, pending, { passphrase });
              expect(reloaded.changes, label).toEqual([]);
            } else {
              const { error } = outcome;
              expect(isHakocError(error), `${label}: ${inspect(error)}`).toBe(true);
              if (!isHakocError(error)) continue;
              expect(STORE_CODES, `${label}: ${error.code} ${error.message}`).toContain(error.code);
              codes.set(error.code, (codes.get(error.code) ?? 0) + 1);
              expect(`${error.message} ${error.hint ?? ''}`, label).toContain(
                file.split('/').pop(),
              );
              const printed = inspect(error, { depth: null });
              expect(printed).not.toContain(passphrase);
              expect(printed).not.toMatch(/BEGIN (EC |RSA )?PRIVATE KEY/);
              expect(await snapshotDir(dir), `${label}: something was written`).toEqual(before);
              // Nothing lost: with the file restored, the store is byte for byte the one that
              // loaded (checked by loading it once, at the end).
              await writeFile(join(dir, file), original, 'latin1');
              expect(await contentsOf(dir), label).toEqual(await contentsOf(pristine));
            }
            await rm(dir, { recursive: true, force: true });
            cases.add();
          }
        }
        const again = await loadOrCreatePki(pristine, request, { passphrase });
        expect(again.changes).toEqual([]);
        expect(again.pki.certificates.map((c) => c.certificate)).toEqual(
          reference.pki.certificates.map((c) => c.certificate),
        );
        cases.note(
          `Errors by code: ${[...codes].map(([code, n]) => `${code} ${n}`).join(', ')}; ${harmless} damages left the content the same and loaded`,
        );
      },
    );
  }, 900_000);
});

const childScript = fileURLToPath(new URL('./key-store-hostile-child.ts', import.meta.url));
const loader = fileURLToPath(new URL('../../cli/test/support/source-loader.mjs', import.meta.url));

/** Runs the child that writes the store; resolves when it is ready to start writing. */
function startWriter(dir: string, mode: 'first' | 'grown') {
  const child = spawn(
    process.execPath,
    ['--import', loader, '--conditions=@hakoc/source', childScript, dir, mode],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  let err = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    err += chunk;
  });
  const ready = new Promise<void>((resolve) => {
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      if (out.includes('ready')) resolve();
    });
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal })),
  );
  return { child, ready, exited, output: () => `${out}${err}` };
}

/** Every committed file is whole: certificates parse, keys open with the passphrase. */
async function expectOnlyWholeFiles(dir: string): Promise<Map<string, string>> {
  const committed = new Map<string, string>();
  for (const file of existsSync(dir) ? await storeFiles(dir) : []) {
    const text = await readFile(join(dir, file), 'utf8');
    if (file.endsWith('.tmp')) continue;
    if (file.endsWith('.crt')) expect(() => new x509.X509Certificate(text), file).not.toThrow();
    if (file.endsWith('.key'))
      expect(() => createPrivateKey({ key: text, passphrase }), file).not.toThrow();
    committed.set(file, text);
  }
  return committed;
}

describe('a key-store write killed with SIGKILL', () => {
  it('leaves whole files only, and the next run completes the store keeping them', async () => {
    const random = seededRandom(SEED + 1);
    let staleLocks = 0;
    let tempFiles = 0;
    await recordReliability(
      {
        id: 'keystore-sigkill',
        area,
        test: 'A separate process creating a key store, or growing one (two more etcd members, another control-plane address), SIGKILLed at seeded moments across the write; then the next run, after its stale lock has aged',
        unit: 'SIGKILLs',
        held: 'every committed file is whole (certificates parse, keys decrypt); the next run completes the store without touching a committed file, removes the temporary files, and a third run changes nothing; every certificate chains to its CA',
        seed: SEED + 1,
        file: import.meta.url,
      },
      async (cases) => {
        const firstStore = join(root, 'first');
        await loadOrCreatePki(firstStore, writerRequest('first'), { passphrase });
        for (const mode of ['first', 'grown'] as const) {
          // How long an uninterrupted write takes here, to spread the kills over it.
          const timing = join(root, `timing-${mode}`);
          if (mode === 'grown') cpSync(firstStore, timing, { recursive: true });
          const whole = startWriter(timing, mode);
          await whole.ready;
          const began = performance.now();
          expect((await whole.exited).code, whole.output()).toBe(0);
          const duration = performance.now() - began;
          // What the whole write changes of the store it starts from: only those may differ
          // after an interrupted run's successor, and only if the interrupted run left them.
          const start = mode === 'grown' ? await expectOnlyWholeFiles(firstStore) : new Map();
          const written = await expectOnlyWholeFiles(timing);
          const rewritten = new Set(
            [...start.keys()].filter((file) => written.get(file) !== start.get(file)),
          );
          const target = writerRequest(mode);

          for (let kill = 0; kill < KILLS_PER_WRITE; kill++) {
            const dir = join(root, `kill-${mode}-${kill}`);
            if (mode === 'grown') cpSync(firstStore, dir, { recursive: true });
            const before = mode === 'grown' ? await expectOnlyWholeFiles(dir) : new Map();
            const writer = startWriter(dir, mode);
            await writer.ready;
            await new Promise((resolve) => setTimeout(resolve, random() * duration));
            writer.child.kill('SIGKILL');
            await writer.exited;
            const committed = await expectOnlyWholeFiles(dir);
            // Nothing that existed before the interrupted run was changed by it, except what
            // the write replaces (the apiserver certificate, for the new address), whole.
            for (const [file, text] of before) {
              if (!rewritten.has(file)) expect(committed.get(file), file).toBe(text);
              else expect(committed.has(file), file).toBe(true);
            }
            if (existsSync(join(dir, '.lock'))) {
              staleLocks += 1;
              // The lock of a dead run is taken over once it is 10 s old: age it instead of waiting.
              const old = new Date(Date.now() - 60_000);
              utimesSync(join(dir, '.lock'), old, old);
            }
            tempFiles += (existsSync(dir) ? await storeFiles(dir) : []).filter((f) =>
              f.endsWith('.tmp'),
            ).length;
            const recovered = await loadOrCreatePki(dir, target, { passphrase });
            const after = await expectOnlyWholeFiles(dir);
            for (const [file, text] of committed) {
              // Kept, unless it is one the write replaces and the killed run had not yet.
              if (rewritten.has(file) && before.get(file) === text) continue;
              expect(after.get(file), file).toBe(text);
            }
            expect([...after.keys()].filter((f) => f.endsWith('.tmp'))).toEqual([]);
            for (const entry of recovered.pki.certificates) {
              const certificate = new x509.X509Certificate(entry.certificate);
              const ca = recovered.pki.certificates.find((c) => c.id === entry.issuer);
              const issuer = new x509.X509Certificate(ca?.certificate ?? '');
              expect(
                await certificate.verify({ publicKey: issuer.publicKey, signatureOnly: true }),
                entry.id,
              ).toBe(true);
            }
            expect((await loadOrCreatePki(dir, target, { passphrase })).changes).toEqual([]);
            cases.add();
          }
        }
        cases.note(
          `${staleLocks} kills left the store's lock behind, ${tempFiles} a temporary file`,
        );
      },
    );
  }, 900_000);
});
