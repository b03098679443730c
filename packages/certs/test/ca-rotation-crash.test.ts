import * as fs from 'node:fs/promises';
import { cp } from 'node:fs/promises';
import { join } from 'node:path';
import {
  finishCaRotation,
  type KeyStoreResult,
  loadOrCreatePki,
  startCaRotation,
  switchCaRotation,
} from '@hakoc/certs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { x509 } from '../src/x509-provider.js';
import { makeTempDir, passphrase, removeTempDir, sampleRequest } from './fixtures.js';

// Every store write ends in a rename and a finish's removals in rm; making the Nth of them
// fail simulates the process dying just before it. After each crash the store must load, and
// be in the state before the step or after it — never anything in between.
vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs/promises')>();
  return { ...actual, rename: vi.fn(actual.rename), rm: vi.fn(actual.rm) };
});

const request = sampleRequest({ etcdMembers: sampleRequest().etcdMembers.slice(0, 1) });
const realRename = vi.mocked(fs.rename).getMockImplementation();
const realRm = vi.mocked(fs.rm).getMockImplementation();

/** What identifies a state: the rotation's phase, the CA that signs, the bundle. */
function stateOf(result: KeyStoreResult): string {
  return JSON.stringify({
    phase: result.caRotation?.phase ?? 'none',
    signer: result.pki.ca.certificate,
    bundle: result.pki.trustBundles.ca,
  });
}

/** Every leaf verifies under the CA that now signs. */
async function leavesVerify(result: KeyStoreResult): Promise<void> {
  for (const entry of result.pki.certificates.filter((c) => c.kind !== 'ca')) {
    const ca = result.pki.certificates.find((c) => c.id === entry.issuer)?.certificate ?? '';
    const verified = await new x509.X509Certificate(entry.certificate).verify({
      publicKey: new x509.X509Certificate(ca).publicKey,
      signatureOnly: true,
    });
    expect(verified, entry.id).toBe(true);
  }
}

function crashAt(call: number, on: 'rename' | 'rm'): void {
  let calls = 0;
  vi.mocked(fs.rename).mockImplementation(async (from, to) => {
    if (on === 'rename' && ++calls === call) throw new Error('simulated crash');
    return realRename?.(from, to);
  });
  vi.mocked(fs.rm).mockImplementation(async (path, options) => {
    if (on === 'rm' && ++calls === call) throw new Error('simulated crash');
    return realRm?.(path, options);
  });
}

function noCrash(): void {
  vi.mocked(fs.rename).mockImplementation(async (from, to) => realRename?.(from, to));
  vi.mocked(fs.rm).mockImplementation(async (path, options) => realRm?.(path, options));
}

describe('a crash at any write of a CA rotation step', () => {
  let root: string;
  /** Pristine stores before each step, copied for every crash. */
  const pristine = { start: '', switch: '', finish: '' };
  const states = { before: '', started: '', switched: '', finished: '' };
  const renames = { start: 0, switch: 0 };

  beforeAll(async () => {
    root = await makeTempDir();
    noCrash();
    const dir = join(root, 'live');
    states.before = stateOf(await loadOrCreatePki(dir, request, { passphrase }));
    pristine.start = join(root, 'before-start');
    await cp(dir, pristine.start, { recursive: true });
    vi.mocked(fs.rename).mockClear();
    states.started = stateOf(await startCaRotation(dir, request, { passphrase, cas: ['ca'] }));
    renames.start = vi.mocked(fs.rename).mock.calls.length;
    pristine.switch = join(root, 'before-switch');
    await cp(dir, pristine.switch, { recursive: true });
    vi.mocked(fs.rename).mockClear();
    states.switched = stateOf(await switchCaRotation(dir, request, { passphrase, force: true }));
    renames.switch = vi.mocked(fs.rename).mock.calls.length;
    pristine.finish = join(root, 'before-finish');
    await cp(dir, pristine.finish, { recursive: true });
    states.finished = stateOf(await finishCaRotation(dir, request, { passphrase, force: true }));
  }, 120_000);
  afterAll(() => removeTempDir(root));

  /** Crashes a copy of `from` at each point, then loads it twice: a known state, then stable. */
  async function crashEverywhere(
    from: string,
    step: (dir: string) => Promise<KeyStoreResult>,
    points: readonly number[],
    on: 'rename' | 'rm',
    allowed: readonly string[],
  ): Promise<string[]> {
    const seen: string[] = [];
    for (const point of points) {
      const dir = join(root, `${from.split('/').pop()}-${on}-${point}`);
      await cp(from, dir, { recursive: true });
      crashAt(point, on);
      await expect(step(dir), `crash at ${on} ${point}`).rejects.toThrow('simulated crash');
      noCrash();
      const loaded = await loadOrCreatePki(dir, request, { passphrase });
      const state = stateOf(loaded);
      expect(allowed, `crash at ${on} ${point}`).toContain(state);
      await leavesVerify(loaded);
      const again = await loadOrCreatePki(dir, request, { passphrase });
      expect(again.changes, `crash at ${on} ${point}`).toEqual([]);
      expect(stateOf(again)).toBe(state);
      seen.push(state);
    }
    return seen;
  }

  it('start: before (its record is its last write), the unrecorded new CA removed', async () => {
    // The new CA's key, its certificate, then the record; a start changes no leaf.
    expect(renames.start).toBe(3);
    const seen = await crashEverywhere(
      pristine.start,
      (dir) => startCaRotation(dir, request, { passphrase, cas: ['ca'] }),
      [1, 2, 3],
      'rename',
      [states.before],
    );
    expect(seen).toHaveLength(3);
    const leftover = join(root, 'before-start-rename-3', 'incoming');
    expect(
      await fs.stat(leftover).then(
        () => true,
        () => false,
      ),
    ).toBe(false);
  }, 120_000);

  it('switch: started or switched', async () => {
    expect(renames.switch).toBeGreaterThan(10);
    const points = [1, 2, 3, 4, 5, 6, renames.switch - 1, renames.switch];
    const seen = await crashEverywhere(
      pristine.switch,
      (dir) => switchCaRotation(dir, request, { passphrase, force: true }),
      points,
      'rename',
      [states.started, states.switched],
    );
    expect(seen).toContain(states.started);
    expect(seen).toContain(states.switched);
  }, 240_000);

  it('finish: switched or finished, and never the old key left behind', async () => {
    // rm 1: the record (removeDurably); rm 2: incoming/; rm 3: retiring/.
    const seen = await crashEverywhere(
      pristine.finish,
      (dir) => finishCaRotation(dir, request, { passphrase, force: true }),
      [1, 2, 3],
      'rm',
      [states.switched, states.finished],
    );
    expect(seen).toEqual([states.switched, states.finished, states.finished]);
    const leftover = join(root, 'before-finish-rm-3', 'retiring');
    expect(
      await fs.stat(leftover).then(
        () => true,
        () => false,
      ),
    ).toBe(false);
  }, 120_000);
});
