import { spawn } from 'node:child_process';
import { chmod, mkdir, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isHakocError, loadOrCreatePki } from '@hakoc/certs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { removeStaleTempFiles } from '../src/atomic-write.js';
import { lockStore } from '../src/store-lock.js';
import { x509 } from '../src/x509-provider.js';
import { makeTempDir, passphrase, removeTempDir, sampleRequest } from './fixtures.js';

const request = sampleRequest({ etcdMembers: sampleRequest().etcdMembers.slice(0, 1) });

describe('one run at a time', () => {
  let dir: string;

  beforeEach(async () => {
    dir = join(await makeTempDir(), 'pki');
  });
  afterEach(() => removeTempDir(join(dir, '..')));

  it('two concurrent first runs end with one consistent store', async () => {
    const [first, second] = await Promise.all([
      loadOrCreatePki(dir, request, { passphrase }),
      loadOrCreatePki(dir, request, { passphrase }),
    ]);
    // One created everything, the other waited and loaded it.
    expect([first.changes.length, second.changes.length].sort((a, b) => a - b)[0]).toBe(0);
    expect(second.pki.ca.certificate).toBe(first.pki.ca.certificate);
    expect(second.pki.workerBootstrap.token.id).toBe(first.pki.workerBootstrap.token.id);
    const again = await loadOrCreatePki(dir, request, { passphrase });
    expect(again.changes).toEqual([]);
    const ca = new x509.X509Certificate(again.pki.ca.certificate);
    const apiserver = new x509.X509Certificate(again.pki.apiserver.certificate);
    expect(await apiserver.verify({ publicKey: ca.publicKey, signatureOnly: true })).toBe(true);
    expect(
      (await readdir(dir)).filter((name) => name.endsWith('.tmp') || name === '.lock'),
    ).toEqual([]);
  });

  it('says the store is locked when another run holds it past the wait', async () => {
    await mkdir(dir, { recursive: true });
    const held = await lockStore(dir, 0);
    const error = await loadOrCreatePki(dir, request, { passphrase, lockWaitMs: 200 }).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    await held.release();
    expect(isHakocError(error) && error.code).toBe('HAKOC_KEYSTORE_LOCKED');
    expect(isHakocError(error) && error.hint).toContain('Wait for the other hakoc run');
    expect((await loadOrCreatePki(dir, request, { passphrase })).changes.length).toBeGreaterThan(0);
  });

  it('removes only temporary files whose writer is gone', async () => {
    await mkdir(dir, { recursive: true });
    // A pid that existed and is now certainly gone: a child that has exited.
    const child = spawn(process.execPath, ['-e', '']);
    const gonePid = await new Promise<number>((resolve) =>
      child.on('exit', () => resolve(child.pid ?? 0)),
    );
    const live = `apiserver.crt.${process.pid}.0123456789ab.tmp`;
    const dead = `apiserver.crt.${gonePid}.0123456789ab.tmp`;
    await writeFile(join(dir, live), 'being written');
    await writeFile(join(dir, dead), 'abandoned');
    await removeStaleTempFiles(dir);
    expect((await readdir(dir)).sort()).toEqual([live]);
  });
});

describe('key store hygiene', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await makeTempDir();
  });
  afterEach(() => removeTempDir(dir));

  it('narrows loose permissions on load, like ssh insists on, and reports them', async () => {
    await loadOrCreatePki(dir, request, { passphrase });
    await chmod(join(dir, 'ca.key'), 0o644);
    await chmod(join(dir, 'etcd'), 0o755);
    await chmod(dir, 0o750);
    const { permissionsTightened, changes } = await loadOrCreatePki(dir, request, { passphrase });
    expect(changes).toEqual([]);
    expect(permissionsTightened).toEqual(['.', 'ca.key', 'etcd']);
    expect((await stat(join(dir, 'ca.key'))).mode & 0o777).toBe(0o600);
    expect((await stat(join(dir, 'etcd'))).mode & 0o777).toBe(0o700);
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
  });

  it('leaves no unhandled rejection when key generation fails', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    const subtle = globalThis.crypto.subtle;
    const original = subtle.generateKey.bind(subtle);
    let calls = 0;
    // The first key fails at once, every other one a little later: the run must wait for
    // (and handle) all of them.
    subtle.generateKey = (() => {
      calls += 1;
      return new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error('no entropy')), calls === 1 ? 0 : 20),
      );
    }) as typeof subtle.generateKey;
    try {
      await expect(loadOrCreatePki(dir, request, { passphrase })).rejects.toThrow('no entropy');
      await new Promise((resolve) => setTimeout(resolve, 100));
    } finally {
      subtle.generateKey = original;
      process.off('unhandledRejection', onUnhandled);
    }
    expect(unhandled).toEqual([]);
  });
});
