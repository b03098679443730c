import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { checkExpiry, isHakocError, loadOrCreatePki, renewLeaves } from '@hakoc/certs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir, passphrase, removeTempDir, sampleRequest, snapshotDir } from './fixtures.js';

const dayMs = 24 * 60 * 60 * 1000;
const request = sampleRequest({
  etcdMembers: sampleRequest().etcdMembers.slice(0, 1),
  validity: { caDays: 3650, leafDays: 365, etcdDays: 100 },
});

describe('expiry report and leaf renewal', () => {
  let dir: string;
  const now = new Date('2026-06-01T00:00:00Z');

  beforeEach(async () => {
    dir = await makeTempDir();
    await loadOrCreatePki(dir, request, { passphrase, now });
  });
  afterEach(() => removeTempDir(dir));

  it('lists every certificate with its subject and days left, soonest first', async () => {
    const rows = await checkExpiry(dir, { now });
    // 3 CAs, 9 leaves, 2 member certificates and the bootstrap token.
    expect(rows).toHaveLength(3 + 9 + 2 + 1);
    expect(rows[0]).toMatchObject({ daysLeft: 100, isCa: false });
    expect(rows.map((row) => row.notAfter.getTime())).toEqual(
      rows.map((row) => row.notAfter.getTime()).sort((a, b) => a - b),
    );
    expect(rows.find((row) => row.path === 'apiserver.crt')).toMatchObject({
      subject: 'CN=kube-apiserver',
      daysLeft: 365,
      notAfter: new Date(now.getTime() + 365 * dayMs),
    });
    expect(rows.find((row) => row.path === 'etcd/etcd-0/peer.crt')?.daysLeft).toBe(100);
    expect(rows.filter((row) => row.isCa).map((row) => [row.path, row.daysLeft])).toEqual([
      ['ca.crt', 3650],
      ['etcd/ca.crt', 3650],
      ['front-proxy-ca.crt', 3650],
    ]);
    const later = await checkExpiry(dir, { now: new Date(now.getTime() + 101 * dayMs) });
    expect(later[0]?.daysLeft).toBeLessThan(0);
  });

  it('renews only the leaves due within the window, with their keys, and never a CA', async () => {
    const keysBefore = await snapshotDir(dir);
    const then = new Date(now.getTime() + 70 * dayMs);
    const { changes } = await renewLeaves(dir, request, { passphrase, now: then, withinDays: 30 });
    expect(changes.map((change) => `${change.action} ${change.id}`)).toEqual([
      'renewed apiserver-etcd-client',
      'renewed etcd/healthcheck-client',
      'renewed etcd/etcd-0/server',
      'renewed etcd/etcd-0/peer',
    ]);
    const keysAfter = await snapshotDir(dir);
    for (const [path, entry] of keysBefore) {
      if (path.endsWith('.key')) expect(keysAfter.get(path), path).toBe(entry);
    }
    const rows = await checkExpiry(dir, { now: then });
    expect(rows.find((row) => row.path === 'etcd/etcd-0/server.crt')?.daysLeft).toBe(100);
    expect(rows.find((row) => row.path === 'apiserver.crt')?.daysLeft).toBe(295);
    // The store is consistent afterwards: a plain load changes nothing.
    expect((await loadOrCreatePki(dir, request, { passphrase, now: then })).changes).toEqual([]);
  });

  it('renews every leaf and the bootstrap token when no window is given', async () => {
    const before = await loadOrCreatePki(dir, request, { passphrase });
    const caBefore = await readFile(join(dir, 'ca.crt'), 'utf8');
    const { changes, pki } = await renewLeaves(dir, request, { passphrase });
    expect(changes.filter((change) => change.action === 'renewed')).toHaveLength(9 + 2 + 1);
    expect(changes.some((change) => change.id === 'ca' || change.id.endsWith('/ca'))).toBe(false);
    expect(await readFile(join(dir, 'ca.crt'), 'utf8')).toBe(caBefore);
    expect(pki.workerBootstrap.token.token.reveal()).not.toBe(
      before.pki.workerBootstrap.token.token.reveal(),
    );
  });

  it('needs the passphrase to renew and says when there is no store', async () => {
    const failure = await renewLeaves(dir, request, { passphrase: 'not the passphrase' }).catch(
      (e: unknown) => e,
    );
    expect(isHakocError(failure) && failure.code).toBe('HAKOC_KEYSTORE_PASSPHRASE');
    await rm(dir, { recursive: true });
    const missing = await checkExpiry(dir).catch((e: unknown) => e);
    expect(isHakocError(missing) && missing.code).toBe('HAKOC_KEYSTORE_MISSING');
    // A file where the store should be is not "no store": it is a mistake to point out.
    await writeFile(dir, 'not a store');
    const file = await checkExpiry(dir).catch((e: unknown) => e);
    expect(isHakocError(file) && [file.code, file.message]).toEqual([
      'HAKOC_KEYSTORE_IO',
      `${dir} is not a directory`,
    ]);
  });
});
