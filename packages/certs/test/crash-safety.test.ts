import { createPrivateKey } from 'node:crypto';
import * as fs from 'node:fs/promises';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadOrCreatePki } from '@hakoc/certs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { x509 } from '../src/x509-provider.js';
import { makeTempDir, passphrase, removeTempDir, sampleRequest } from './fixtures.js';

// Every store write ends in a rename; making the Nth rename fail simulates the process dying
// just before the Nth file is committed.
vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs/promises')>();
  return { ...actual, rename: vi.fn(actual.rename) };
});

const request = sampleRequest({ etcdMembers: sampleRequest().etcdMembers.slice(0, 1) });

/** Every committed file is whole: certificates parse, keys open with the passphrase. */
async function expectOnlyWholeFiles(dir: string): Promise<void> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  for (const entry of entries.filter((e) => e.isFile())) {
    const path = join(entry.parentPath, entry.name);
    const text = await readFile(path, 'utf8');
    if (path.endsWith('.crt')) expect(() => new x509.X509Certificate(text), path).not.toThrow();
    if (path.endsWith('.key'))
      expect(() => createPrivateKey({ key: text, passphrase }), path).not.toThrow();
    expect(path).not.toMatch(/\.tmp$/);
  }
}

describe('a crash at any write', () => {
  let root: string;
  let renamesInFullRun = 0;
  const realRename = vi.mocked(fs.rename).getMockImplementation();

  beforeAll(async () => {
    root = await makeTempDir();
    vi.mocked(fs.rename).mockClear();
    await loadOrCreatePki(join(root, 'count'), request, { passphrase });
    renamesInFullRun = vi.mocked(fs.rename).mock.calls.length;
  });
  afterAll(() => removeTempDir(root));

  it('leaves only whole files, and the next run completes a store that verifies', async () => {
    expect(renamesInFullRun).toBeGreaterThan(20);
    const crashPoints = [1, 2, 3, 4, 5, 8, 12, 17, 23, renamesInFullRun - 1, renamesInFullRun];
    for (const crashAt of crashPoints) {
      const dir = join(root, `crash-${crashAt}`);
      let calls = 0;
      vi.mocked(fs.rename).mockImplementation(async (from, to) => {
        calls += 1;
        if (calls === crashAt) throw new Error('simulated crash');
        return realRename?.(from, to);
      });
      await expect(loadOrCreatePki(dir, request, { passphrase })).rejects.toThrow(
        'simulated crash',
      );
      await expectOnlyWholeFiles(dir);
      const survivors = new Map<string, string>();
      for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
        if (entry.isFile()) {
          const path = join(entry.parentPath, entry.name);
          survivors.set(path, await readFile(path, 'utf8'));
        }
      }

      vi.mocked(fs.rename).mockImplementation(async (from, to) => realRename?.(from, to));
      const recovered = await loadOrCreatePki(dir, request, { passphrase });
      // What was committed before the crash is kept, not regenerated.
      for (const [path, content] of survivors)
        expect(await readFile(path, 'utf8'), path).toBe(content);
      for (const entry of recovered.pki.certificates) {
        const certificate = new x509.X509Certificate(entry.certificate);
        const ca = recovered.pki.certificates.find((candidate) => candidate.id === entry.issuer);
        const caCertificate = new x509.X509Certificate(ca?.certificate ?? '');
        expect(
          await certificate.verify({ publicKey: caCertificate.publicKey, signatureOnly: true }),
        ).toBe(true);
      }
      expect(
        (await loadOrCreatePki(dir, request, { passphrase })).changes,
        `crash at ${crashAt}`,
      ).toEqual([]);
    }
    // Eleven crashes, each followed by two full store runs (600k-iteration PBKDF2 + scrypt):
    // about 20 s on an idle 2-core machine, so give a loaded one room.
  }, 180_000);
});
