import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type KeyAlgorithm, loadOrCreatePki, type PkiCertificate } from '@hakoc/certs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  inBatches,
  makeTempDir,
  passphrase,
  removeTempDir,
  requireOpenssl,
  run,
  sampleRequest,
} from './fixtures.js';

const purposes: Record<PkiCertificate['kind'], string[]> = {
  ca: [],
  server: ['sslserver'],
  client: ['sslclient'],
  peer: ['sslserver', 'sslclient'],
};

// The full suite runs for the default algorithm with three members; RSA-2048 once, smaller.
const cases: { algorithm: KeyAlgorithm; members: number }[] = [
  { algorithm: 'ecdsa-p256', members: 3 },
  { algorithm: 'rsa-2048', members: 1 },
];

describe.each(cases)('openssl accepts the $algorithm PKI', ({ algorithm, members }) => {
  let dir: string;
  let certificates: readonly PkiCertificate[];
  const crt = (id: string) => join(dir, `${id}.crt`);
  const verify = (leaf: PkiCertificate, ...options: string[]) =>
    run('openssl', [
      'verify',
      '-x509_strict',
      '-CAfile',
      crt(leaf.issuer),
      ...options,
      crt(leaf.id),
    ]);

  beforeAll(async () => {
    await requireOpenssl();
    dir = await makeTempDir();
    const request = sampleRequest({ keyAlgorithm: algorithm });
    const result = await loadOrCreatePki(
      dir,
      { ...request, etcdMembers: request.etcdMembers.slice(0, members) },
      { passphrase },
    );
    certificates = result.pki.certificates;
  });
  afterAll(() => removeTempDir(dir));

  it('verifies every leaf against its own CA for its purposes, and refuses other purposes', async () => {
    const leaves = certificates.filter((entry) => entry.kind !== 'ca');
    expect(leaves.length).toBe(9 + 2 * members);
    const jobs = leaves.flatMap((leaf) =>
      ['sslserver', 'sslclient'].map((purpose) => async () => {
        const expected = purposes[leaf.kind].includes(purpose);
        const accepted = (await verify(leaf, '-purpose', purpose)).code === 0;
        return { id: leaf.id, purpose, accepted, expected };
      }),
    );
    for (const result of await inBatches(jobs, 8)) {
      expect(result.accepted, `${result.id} ${result.purpose}`).toBe(result.expected);
    }
  });

  it('matches every DNS and IP name of each server certificate, and refuses other names', async () => {
    const servers = certificates.filter(
      (entry) => entry.kind === 'server' || entry.kind === 'peer',
    );
    const jobs = servers.flatMap((leaf) => [
      ...leaf.dnsNames.map((name) => async () => ({
        id: leaf.id,
        name,
        ok: (await verify(leaf, '-verify_hostname', name)).code === 0,
      })),
      ...leaf.ipAddresses.map((ip) => async () => ({
        id: leaf.id,
        name: ip,
        ok: (await verify(leaf, '-verify_ip', ip)).code === 0,
      })),
    ]);
    for (const result of await inBatches(jobs, 8)) expect(result).toMatchObject({ ok: true });

    const apiserver = servers.find((entry) => entry.id === 'apiserver');
    expect(apiserver?.dnsNames).toContain('kubernetes.default.svc.cluster.local');
    expect(apiserver?.ipAddresses).toEqual(
      expect.arrayContaining(['10.3.0.1', '203.0.113.10', '10.0.0.20', '10.0.0.22']),
    );
    for (const leaf of servers) {
      expect((await verify(leaf, '-verify_hostname', 'not-a-san.example.org')).code).not.toBe(0);
      expect((await verify(leaf, '-verify_ip', '198.51.100.99')).code).not.toBe(0);
    }
  });

  it('refuses a leaf checked against another CA', async () => {
    const etcdLeaf = certificates.find((entry) => entry.id === 'etcd/healthcheck-client');
    const clusterLeaf = certificates.find((entry) => entry.id === 'apiserver');
    const run1 = await run('openssl', ['verify', '-CAfile', crt('ca'), crt(etcdLeaf?.id ?? '')]);
    const run2 = await run('openssl', [
      'verify',
      '-CAfile',
      crt('etcd/ca'),
      crt(clusterLeaf?.id ?? ''),
    ]);
    expect(run1.code).not.toBe(0);
    expect(run2.code).not.toBe(0);
  });

  it('marks the CAs CA:TRUE with pathlen 0 and every leaf CA:FALSE', async () => {
    for (const entry of certificates) {
      const text = (await run('openssl', ['x509', '-in', crt(entry.id), '-noout', '-text'])).stdout;
      if (entry.kind === 'ca') expect(text).toMatch(/CA:TRUE, pathlen:0/);
      else expect(text).toMatch(/CA:FALSE/);
      if (algorithm.startsWith('rsa') && entry.kind !== 'ca')
        expect(text).toMatch(/Key Encipherment/);
    }
  });

  it('reads every encrypted key with the passphrase only, and each matches its certificate', async () => {
    const jobs = certificates.map((entry) => async () => {
      const key = join(dir, `${entry.id}.key`);
      expect(await readFile(key, 'utf8')).toMatch(/^-----BEGIN ENCRYPTED PRIVATE KEY-----/);
      const opened = await run('openssl', [
        'pkey',
        '-in',
        key,
        '-passin',
        `pass:${passphrase}`,
        '-pubout',
      ]);
      const certKey = await run('openssl', ['x509', '-in', crt(entry.id), '-noout', '-pubkey']);
      // A wrong or empty passphrase on a sample of keys (each try costs openssl the full
      // 600,000 PBKDF2 iterations; every key shares the same parameters).
      const sampled = entry.kind === 'ca' || entry.id === 'apiserver';
      const wrong = sampled
        ? await run('openssl', ['pkey', '-in', key, '-passin', 'pass:not the passphrase', '-noout'])
        : { code: 1 };
      const none = sampled
        ? await run('openssl', ['pkey', '-in', key, '-passin', 'pass:', '-noout'])
        : { code: 1 };
      return {
        id: entry.id,
        opened: opened.code,
        matches: opened.stdout === certKey.stdout,
        wrong: wrong.code,
        none: none.code,
      };
    });
    for (const result of await inBatches(jobs, 8)) {
      expect(result).toMatchObject({ opened: 0, matches: true });
      expect(result.wrong).not.toBe(0);
      expect(result.none).not.toBe(0);
    }
    const sa = await run('openssl', [
      'pkey',
      '-in',
      join(dir, 'sa.key'),
      '-passin',
      `pass:${passphrase}`,
      '-pubout',
    ]);
    expect(sa.stdout).toBe(await readFile(join(dir, 'sa.pub'), 'utf8'));
    expect(
      (await run('openssl', ['pkey', '-in', join(dir, 'sa.key'), '-passin', 'pass:nope', '-noout']))
        .code,
    ).not.toBe(0);
  });

  it('encrypts keys with PBES2: PBKDF2-HMAC-SHA256 at 600,000 iterations and AES-256-CBC', async () => {
    for (const file of ['ca.key', 'etcd/etcd-0/peer.key', 'sa.key']) {
      const parsed = await run('openssl', ['asn1parse', '-in', join(dir, file)]);
      expect(parsed.code, file).toBe(0);
      const text = parsed.stdout;
      expect(text).toMatch(/OBJECT\s*:PBES2/);
      expect(text).toMatch(/OBJECT\s*:PBKDF2/);
      expect(text).toMatch(/OBJECT\s*:hmacWithSHA256/);
      expect(text).toMatch(/OBJECT\s*:aes-256-cbc/);
      // The iteration count is the INTEGER right after the 16-byte salt.
      const iterations = /\[HEX DUMP\]:[0-9A-F]{32}\s*\n.*INTEGER\s*:([0-9A-F]+)/.exec(text)?.[1];
      expect(Number.parseInt(iterations ?? '0', 16), file).toBeGreaterThanOrEqual(600_000);
    }
  });
});
