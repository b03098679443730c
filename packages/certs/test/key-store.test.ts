import { createPrivateKey } from 'node:crypto';
import { copyFile, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isHakocError, loadOrCreatePki, type PkiRequest } from '@hakoc/certs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir, passphrase, removeTempDir, sampleRequest, snapshotDir } from './fixtures.js';

/** Awaits a promise that must reject with a HakocError, and returns its code. */
async function errorCode(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!isHakocError(error)) throw new Error(`expected a HakocError, got ${String(error)}`);
  return error.code;
}

describe('the key store', () => {
  let dir: string;
  const request = sampleRequest();
  const load = (changed: PkiRequest = request, secret = passphrase) =>
    loadOrCreatePki(dir, changed, { passphrase: secret });

  beforeEach(async () => {
    dir = join(await makeTempDir(), 'pki');
  });
  afterEach(() => removeTempDir(join(dir, '..')));

  it("creates kubeadm's layout, folders 0700, files 0600, every key encrypted", async () => {
    const { changes } = await load();
    expect(changes.map((change) => change.action)).toEqual(changes.map(() => 'created'));
    const snapshot = await snapshotDir(dir);
    for (const path of [
      'ca.crt',
      'ca.key',
      'etcd/ca.crt',
      'front-proxy-ca.crt',
      'apiserver.crt',
      'apiserver-kubelet-client.key',
      'apiserver-etcd-client.crt',
      'front-proxy-client.crt',
      'etcd/healthcheck-client.crt',
      'etcd/etcd-2/server.crt',
      'etcd/etcd-2/peer.key',
      'kubeconfig/admin.crt',
      'sa.key',
      'sa.pub',
      'bootstrap-token.enc',
    ]) {
      expect(snapshot.has(path), path).toBe(true);
    }
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
    for (const [path] of snapshot) {
      const mode = (await stat(join(dir, path))).mode;
      const isDir = (await stat(join(dir, path))).isDirectory();
      expect(mode & 0o777, path).toBe(isDir ? 0o700 : 0o600);
      if (isDir) continue;
      const text = await readFile(join(dir, path), 'utf8');
      expect(text, path).not.toMatch(/BEGIN (RSA |EC )?PRIVATE KEY/);
      if (path.endsWith('.key')) expect(text).toMatch(/^-----BEGIN ENCRYPTED PRIVATE KEY-----/);
    }
    const token = await readFile(join(dir, 'bootstrap-token.enc'), 'utf8');
    expect(token).not.toMatch(/[a-z0-9]{6}\.[a-z0-9]{16}/);
  });

  it('changes nothing on a second run and returns the same PKI', async () => {
    const first = await load();
    const before = await snapshotDir(dir);
    const second = await load();
    expect(second.changes).toEqual([]);
    expect(await snapshotDir(dir)).toEqual(before);
    expect(second.pki.certificates.map((entry) => entry.certificate)).toEqual(
      first.pki.certificates.map((entry) => entry.certificate),
    );
    expect(second.pki.workerBootstrap.token.token.reveal()).toBe(
      first.pki.workerBootstrap.token.token.reveal(),
    );
    expect(second.pki.serviceAccount.publicKey).toBe(first.pki.serviceAccount.publicKey);
  });

  it('re-issues only the apiserver certificate, with its key, when a control-plane IP is added', async () => {
    await load();
    const before = await snapshotDir(dir);
    const changed = sampleRequest({
      controlPlane: [...request.controlPlane, { name: 'controller-3', ips: ['10.0.0.23'] }],
    });
    const { changes } = await load(changed);
    expect(changes).toEqual([
      {
        id: 'apiserver',
        action: 'reissued',
        reason: 'DNS names +controller-3; IP addresses +10.0.0.23',
      },
    ]);
    const after = await snapshotDir(dir);
    const differing = [...after.keys()].filter((path) => after.get(path) !== before.get(path));
    expect(differing).toEqual(['apiserver.crt']);
    expect((await load(changed)).changes).toEqual([]);
  });

  it('issues only the new member certificates when an etcd member is added, and reports removed ones', async () => {
    await load();
    const before = await snapshotDir(dir);
    const grown = sampleRequest({
      etcdMembers: [
        ...request.etcdMembers,
        { name: 'etcd-3', dnsName: 'etcd-3.example.com', ips: ['10.0.0.13'] },
      ],
    });
    const { changes } = await load(grown);
    expect(changes.map((change) => `${change.action} ${change.id}`)).toEqual([
      'created etcd/etcd-3/server',
      'created etcd/etcd-3/peer',
    ]);
    const after = await snapshotDir(dir);
    for (const [path, entry] of before)
      if (path !== 'etcd') expect(after.get(path), path).toBe(entry);

    const shrunk = await load(sampleRequest({ etcdMembers: request.etcdMembers.slice(0, 2) }));
    expect(shrunk.changes).toEqual([]);
    expect(shrunk.stale).toEqual(['etcd/etcd-2/', 'etcd/etcd-3/']);
    expect(Object.keys(shrunk.pki.etcdMembers)).toEqual(['etcd-0', 'etcd-1']);
  });

  it('keeps existing keys when the key algorithm changes', async () => {
    await load();
    const before = await snapshotDir(dir);
    expect((await load(sampleRequest({ keyAlgorithm: 'rsa-2048' }))).changes).toEqual([]);
    expect(await snapshotDir(dir)).toEqual(before);
  });

  it('refuses a wrong or too short passphrase and writes nothing, even with changes pending', async () => {
    await load();
    const before = await snapshotDir(dir);
    const changed = sampleRequest({ apiServiceIp: '10.96.0.1' });
    expect(await errorCode(load(changed, 'the wrong passphrase'))).toBe(
      'HAKOC_KEYSTORE_PASSPHRASE',
    );
    expect(await errorCode(load(changed, 'short'))).toBe('HAKOC_KEYSTORE_PASSPHRASE');
    expect(await snapshotDir(dir)).toEqual(before);
  });

  it('reports a corrupt, half-present or unencrypted file and writes nothing', async () => {
    await load();
    const changed = sampleRequest({ apiServiceIp: '10.96.0.1' });
    const expectCorrupt = async (damage: () => Promise<void>, code = 'HAKOC_KEYSTORE_CORRUPT') => {
      await damage();
      const before = await snapshotDir(dir);
      expect(await errorCode(load(changed))).toBe(code);
      expect(await snapshotDir(dir)).toEqual(before);
    };
    const original = await readFile(join(dir, 'apiserver.crt'), 'utf8');
    await expectCorrupt(() => writeFile(join(dir, 'apiserver.crt'), original.slice(0, 200)));
    await writeFile(join(dir, 'apiserver.crt'), original);

    const key = await readFile(join(dir, 'apiserver.key'), 'utf8');
    await expectCorrupt(() => rm(join(dir, 'apiserver.key')));
    await expectCorrupt(() => writeFile(join(dir, 'apiserver.key'), 'garbage'));
    const plain = createPrivateKey({ key, passphrase }).export({ type: 'pkcs8', format: 'pem' });
    await expectCorrupt(() => writeFile(join(dir, 'apiserver.key'), plain));
    await writeFile(join(dir, 'apiserver.key'), key);

    const other = await readFile(join(dir, 'front-proxy-client.key'), 'utf8');
    await expectCorrupt(() => writeFile(join(dir, 'apiserver.key'), other));
    await writeFile(join(dir, 'apiserver.key'), key);

    const saPub = await readFile(join(dir, 'sa.pub'), 'utf8');
    await expectCorrupt(() => copyFile(join(dir, 'etcd/ca.crt'), join(dir, 'sa.pub')));
    await writeFile(join(dir, 'sa.pub'), saPub);

    await expectCorrupt(() => writeFile(join(dir, 'bootstrap-token.enc'), '{}'));
  });

  it('refuses a foreign CA certificate or a leaf signed by another CA, and writes nothing', async () => {
    await load();
    const otherDir = join(dir, '..', 'other');
    await loadOrCreatePki(otherDir, request, { passphrase });
    const original = await readFile(join(dir, 'etcd/ca.crt'));

    await copyFile(join(otherDir, 'etcd/ca.crt'), join(dir, 'etcd/ca.crt'));
    let before = await snapshotDir(dir);
    expect(await errorCode(load())).toBe('HAKOC_KEYSTORE_FOREIGN_CA');
    expect(await snapshotDir(dir)).toEqual(before);
    await writeFile(join(dir, 'etcd/ca.crt'), original);

    for (const file of ['apiserver.crt', 'apiserver.key'])
      await copyFile(join(otherDir, file), join(dir, file));
    before = await snapshotDir(dir);
    expect(await errorCode(load())).toBe('HAKOC_KEYSTORE_FOREIGN_CA');
    expect(await snapshotDir(dir)).toEqual(before);
  });

  it('refuses leaves whose CA is gone instead of making a new CA under them', async () => {
    await load();
    await rm(join(dir, 'etcd/ca.crt'));
    await rm(join(dir, 'etcd/ca.key'));
    expect(await errorCode(load())).toBe('HAKOC_KEYSTORE_CORRUPT');
  });

  it('completes a key left without its certificate (an interrupted run) with that key', async () => {
    await load();
    const key = await readFile(join(dir, 'etcd/etcd-1/peer.key'), 'utf8');
    await rm(join(dir, 'etcd/etcd-1/peer.crt'));
    await rm(join(dir, 'sa.pub'));
    const { changes } = await load();
    expect(changes.map((change) => `${change.action} ${change.id}`)).toEqual([
      'completed etcd/etcd-1/peer',
      'completed sa',
    ]);
    expect(await readFile(join(dir, 'etcd/etcd-1/peer.key'), 'utf8')).toBe(key);
    expect((await load()).changes).toEqual([]);
  });

  it('removes temporary files a crashed write left behind when it next writes', async () => {
    await load();
    await writeFile(join(dir, 'apiserver.crt.4242.0123456789ab.tmp'), 'half a cert');
    expect((await load()).changes).toEqual([]);
    await load(sampleRequest({ apiServiceIp: '10.96.0.1' }));
    const snapshot = await snapshotDir(dir);
    expect([...snapshot.keys()].filter((path) => path.endsWith('.tmp'))).toEqual([]);
  });

  it('says when the request itself is invalid', async () => {
    expect(await errorCode(load(sampleRequest({ apiServiceIp: 'nope' })))).toBe(
      'HAKOC_PKI_REQUEST_INVALID',
    );
    await writeFile(join(dir, '..', 'file'), '');
    expect(await errorCode(loadOrCreatePki(join(dir, '..', 'file'), request, { passphrase }))).toBe(
      'HAKOC_KEYSTORE_IO',
    );
  });
});
