import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { checkExpiry, isHakocError, loadOrCreatePki, renewLeaves } from '@hakoc/certs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { x509 } from '../src/x509-provider.js';
import { makeTempDir, passphrase, removeTempDir, sampleRequest } from './fixtures.js';

const dayMs = 24 * 60 * 60 * 1000;
const request = sampleRequest({ etcdMembers: sampleRequest().etcdMembers.slice(0, 1) });
const created = new Date('2026-06-01T00:00:00Z');
const daysLater = (days: number) => new Date(created.getTime() + days * dayMs);

async function failure(promise: Promise<unknown>): Promise<{ code: string; hint: string }> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!isHakocError(error)) throw new Error(`expected a HakocError, got ${String(error)}`);
  return { code: error.code, hint: error.hint ?? '' };
}

describe('validity against time', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await makeTempDir();
    await loadOrCreatePki(dir, request, { passphrase, now: created });
  });
  afterEach(() => removeTempDir(dir));

  it('caps a leaf at its CA notAfter and reports it', async () => {
    const now = daysLater(3650 - 100);
    const { pki, changes } = await renewLeaves(dir, request, { passphrase, now });
    const caNotAfter = new x509.X509Certificate(pki.ca.certificate).notAfter;
    const apiserver = new x509.X509Certificate(pki.apiserver.certificate);
    expect(apiserver.notAfter).toEqual(caNotAfter);
    const change = changes.find((entry) => entry.id === 'apiserver');
    expect(change?.cappedAt).toEqual(caNotAfter);
    expect(change?.reason).toContain('valid only until its CA expires');
    // Every leaf the 365-day validity would have carried past its CA is capped, none beyond.
    for (const entry of pki.certificates.filter((certificate) => certificate.kind !== 'ca')) {
      const issuer = pki.certificates.find((certificate) => certificate.id === entry.issuer);
      const leafEnd = new x509.X509Certificate(entry.certificate).notAfter;
      expect(leafEnd <= new x509.X509Certificate(issuer?.certificate ?? '').notAfter).toBe(true);
    }
  });

  it('refuses to sign with an expired CA, and says what to do', async () => {
    const { code, hint } = await failure(
      loadOrCreatePki(dir, request, { passphrase, now: daysLater(3651) }),
    );
    expect(code).toBe('HAKOC_PKI_CA_EXPIRED');
    expect(hint).toContain('new key store');
    expect(hint).toContain('hakoc certs rotate-ca SPEC');
    expect(
      (await failure(renewLeaves(dir, request, { passphrase, now: daysLater(3651) }))).code,
    ).toBe('HAKOC_PKI_CA_EXPIRED');
  });

  it('re-issues expired leaves and an expired token on a plain load', async () => {
    const now = daysLater(366);
    const before = await loadOrCreatePki(dir, request, { passphrase, now: created });
    const { pki, changes } = await loadOrCreatePki(dir, request, { passphrase, now });
    const leafIds = pki.certificates
      .filter((entry) => entry.kind !== 'ca')
      .map((entry) => entry.id);
    expect(
      changes
        .filter((change) => change.action === 'renewed')
        .map((change) => change.id)
        .sort(),
    ).toEqual([...leafIds, 'bootstrap-token'].sort());
    for (const entry of pki.certificates) {
      expect(new x509.X509Certificate(entry.certificate).notAfter > now, entry.id).toBe(true);
    }
    expect(pki.workerBootstrap.token.expires > now).toBe(true);
    expect(pki.workerBootstrap.token.id).not.toBe(before.pki.workerBootstrap.token.id);
    expect(pki.ca.certificate).toBe(before.pki.ca.certificate);
  });

  it('replaces a token that expires within 30 days, keeping the leaves', async () => {
    const early = await loadOrCreatePki(dir, request, { passphrase, now: daysLater(300) });
    expect(early.changes).toEqual([]);
    const { changes, pki } = await loadOrCreatePki(dir, request, {
      passphrase,
      now: daysLater(340),
    });
    expect(changes.map((change) => [change.id, change.action])).toEqual([
      ['bootstrap-token', 'renewed'],
    ]);
    expect(pki.workerBootstrap.token.expires).toEqual(daysLater(340 + 365));
  });

  it('lists the token with its expiry in the passphrase-free report', async () => {
    const { pki } = await loadOrCreatePki(dir, request, { passphrase, now: created });
    const rows = await checkExpiry(dir, { now: daysLater(10) });
    expect(rows.find((row) => row.kind === 'bootstrap-token')).toEqual({
      path: 'bootstrap-token.enc',
      kind: 'bootstrap-token',
      subject: `bootstrap token ${pki.workerBootstrap.token.id}`,
      notAfter: daysLater(365),
      daysLeft: 355,
      isCa: false,
    });
    await writeFile(join(dir, 'bootstrap-token.expires'), 'not json');
    expect((await failure(checkExpiry(dir))).code).toBe('HAKOC_KEYSTORE_CORRUPT');
  });
});
