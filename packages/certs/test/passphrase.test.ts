import {
  createCipheriv,
  createPrivateKey,
  generateKeyPairSync,
  randomBytes,
  scryptSync,
} from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isHakocError, loadOrCreatePki } from '@hakoc/certs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PassphraseKeys } from '../src/passphrase-keys.js';
import { decryptPrivateKey } from '../src/private-key.js';
import { unseal } from '../src/sealed-file.js';
import { makeTempDir, passphrase, removeTempDir, sampleRequest } from './fixtures.js';

/** mulberry32: a small seeded PRNG, so a failure here can be replayed exactly. */
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

async function codeOf(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!isHakocError(error)) throw new Error(`expected a HakocError, got ${String(error)}`);
  return error.code;
}

describe('a wrong passphrase', () => {
  it('is always reported as one, never as a corrupt key (500 seeded wrong passphrases)', async () => {
    // The format earlier versions wrote (Node's export: PBES2, 2048 iterations, AES-256-CBC),
    // which is also what existing stores hold. About 1 wrong passphrase in 130 passes CBC's
    // padding check and fails later, in key parsing, with another error.
    const pem = generateKeyPairSync('ec', { namedCurve: 'P-256' })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();
    const encrypted = createPrivateKey(pem)
      .export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase })
      .toString();
    const random = seededRandom(20261104);
    const codes = new Map<string, number>();
    for (let i = 0; i < 500; i += 1) {
      const wrong = Array.from({ length: 12 }, () =>
        String.fromCharCode(33 + Math.floor(random() * 94)),
      ).join('');
      const code = await codeOf(
        decryptPrivateKey(encrypted, {
          keys: new PassphraseKeys(wrong),
          passphrase: wrong,
          path: 'ca.key',
          passphraseVerified: false,
        }),
      );
      codes.set(code, (codes.get(code) ?? 0) + 1);
    }
    expect(Object.fromEntries(codes)).toEqual({ HAKOC_KEYSTORE_PASSPHRASE: 500 });
    const right = await decryptPrivateKey(encrypted, {
      keys: new PassphraseKeys(passphrase),
      passphrase,
      path: 'ca.key',
      passphraseVerified: false,
    });
    expect(right).toEqual({ pem, weak: true });
  });
});

describe('key store encryption', () => {
  let dir: string;
  const request = sampleRequest({ etcdMembers: sampleRequest().etcdMembers.slice(0, 1) });

  beforeEach(async () => {
    dir = await makeTempDir();
  });
  afterEach(() => removeTempDir(dir));

  it('checks the passphrase on the sealed token first, whatever the keys say', async () => {
    await loadOrCreatePki(dir, request, { passphrase });
    const error = await loadOrCreatePki(dir, request, { passphrase: 'not the passphrase' }).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(isHakocError(error) && error.code).toBe('HAKOC_KEYSTORE_PASSPHRASE');
    expect(isHakocError(error) && error.message).toContain('bootstrap-token.enc');
    expect(isHakocError(error) && error.hint).not.toContain('HAKOC_PASSPHRASE');
  });

  it('seals the token with scrypt N = 2^15, p = 3 and encrypts keys again that older versions wrote weakly', async () => {
    await loadOrCreatePki(dir, request, { passphrase });
    const sealed = JSON.parse(await readFile(join(dir, 'bootstrap-token.enc'), 'utf8')) as {
      kdf: unknown;
    };
    expect(sealed.kdf).toEqual({ name: 'scrypt', N: 2 ** 15, r: 8, p: 3 });

    // Put back what earlier versions wrote: Node's 2048-iteration export, a v1 sealed token.
    const caKey = join(dir, 'ca.key');
    const keys = new PassphraseKeys(passphrase);
    const { pem } = await decryptPrivateKey(await readFile(caKey, 'utf8'), {
      keys,
      passphrase,
      path: 'ca.key',
      passphraseVerified: true,
    });
    await writeFile(
      caKey,
      createPrivateKey(pem).export({
        type: 'pkcs8',
        format: 'pem',
        cipher: 'aes-256-cbc',
        passphrase,
      }),
    );
    const tokenJson = await unseal(
      await readFile(join(dir, 'bootstrap-token.enc'), 'utf8'),
      passphrase,
      'bootstrap-token.enc',
    );
    const salt = randomBytes(16);
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', scryptSync(passphrase, salt, 32), iv);
    const data = Buffer.concat([cipher.update(tokenJson, 'utf8'), cipher.final()]);
    await writeFile(
      join(dir, 'bootstrap-token.enc'),
      JSON.stringify({
        format: 'hakoc-sealed-v1',
        salt: salt.toString('base64'),
        iv: iv.toString('base64'),
        tag: cipher.getAuthTag().toString('base64'),
        data: data.toString('base64'),
      }),
    );

    const upgraded = await loadOrCreatePki(dir, request, { passphrase });
    expect(upgraded.changes).toEqual([]);
    expect([...upgraded.reencrypted].sort()).toEqual(['bootstrap-token.enc', 'ca.key']);
    expect(upgraded.pki.ca.key.reveal()).toBe(pem);
    const again = await loadOrCreatePki(dir, request, { passphrase });
    expect(again.reencrypted).toEqual([]);
    expect(again.pki.workerBootstrap.token.token.reveal()).toBe(
      (JSON.parse(tokenJson) as { token: string }).token,
    );
  });

  it('seals a token again that the 128 MiB parameters of earlier versions sealed', async () => {
    await loadOrCreatePki(dir, request, { passphrase });
    const tokenPath = join(dir, 'bootstrap-token.enc');
    const tokenJson = await unseal(await readFile(tokenPath, 'utf8'), passphrase, 'token');
    const earlier = { N: 2 ** 17, r: 8, p: 1 };
    const salt = randomBytes(16);
    const iv = randomBytes(12);
    const key = scryptSync(passphrase, salt, 32, { ...earlier, maxmem: 256 * 1024 * 1024 });
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    const data = Buffer.concat([cipher.update(tokenJson, 'utf8'), cipher.final()]);
    await writeFile(
      tokenPath,
      JSON.stringify({
        format: 'hakoc-sealed-v2',
        kdf: { name: 'scrypt', ...earlier },
        salt: salt.toString('base64'),
        iv: iv.toString('base64'),
        tag: cipher.getAuthTag().toString('base64'),
        data: data.toString('base64'),
      }),
    );

    const upgraded = await loadOrCreatePki(dir, request, { passphrase });
    expect(upgraded.reencrypted).toEqual(['bootstrap-token.enc']);
    const resealed = JSON.parse(await readFile(tokenPath, 'utf8')) as { kdf: unknown };
    expect(resealed.kdf).toEqual({ name: 'scrypt', N: 2 ** 15, r: 8, p: 3 });
    expect(await unseal(await readFile(tokenPath, 'utf8'), passphrase, 'token')).toBe(tokenJson);
    expect((await loadOrCreatePki(dir, request, { passphrase })).reencrypted).toEqual([]);
  });

  it('names a key sealed with another passphrase than the store, once the passphrase is known good', async () => {
    await loadOrCreatePki(dir, request, { passphrase });
    const other = join(dir, '..', `${dir.split('/').pop()}-other`);
    await loadOrCreatePki(other, request, { passphrase: 'another passphrase' });
    await writeFile(join(dir, 'apiserver.key'), await readFile(join(other, 'apiserver.key')));
    const error = await loadOrCreatePki(dir, request, { passphrase }).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    await removeTempDir(other);
    expect(isHakocError(error) && error.code).toBe('HAKOC_KEYSTORE_PASSPHRASE');
    expect(isHakocError(error) && error.message).toContain(
      'apiserver.key was encrypted with another passphrase',
    );
  });
});
