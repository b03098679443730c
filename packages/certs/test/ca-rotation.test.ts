import { existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type ClusterPki,
  finishCaRotation,
  type KeyStoreResult,
  loadOrCreatePki,
  readCaRotation,
  startCaRotation,
  storeLayout,
  switchCaRotation,
} from '@hakoc/certs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { x509 } from '../src/x509-provider.js';
import {
  makeTempDir,
  passphrase,
  removeTempDir,
  requireOpenssl,
  run,
  sampleRequest,
  snapshotDir,
} from './fixtures.js';

const request = sampleRequest({ etcdMembers: sampleRequest().etcdMembers.slice(0, 1) });
const hourMs = 60 * 60 * 1000;
const created = new Date('2026-11-01T00:00:00Z');
const started = new Date('2026-11-02T00:00:00Z');

/** The certificates in a PEM bundle, in order. */
function certificatesIn(bundle: string): x509.X509Certificate[] {
  return (bundle.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? []).map(
    (pem) => new x509.X509Certificate(pem),
  );
}

/** The CA bundle embedded in a kubeconfig. */
function kubeconfigCa(kubeconfig: string): string {
  const document = parse(kubeconfig) as {
    clusters: { cluster: { 'certificate-authority-data': string } }[];
  };
  const data = document.clusters[0]?.cluster['certificate-authority-data'] ?? '';
  return Buffer.from(data, 'base64').toString('utf8');
}

/** `openssl verify` of `leaf` against `trusted`, with `untrusted` intermediates. */
async function opensslAccepts(
  dir: string,
  trusted: string,
  leaf: string,
  untrusted?: string,
): Promise<boolean> {
  const folder = await mkdtemp(join(dir, 'verify-'));
  const at = (name: string) => join(folder, name);
  await writeFile(at('trusted.pem'), trusted);
  await writeFile(at('leaf.pem'), leaf);
  const args = ['verify', '-CAfile', at('trusted.pem')];
  if (untrusted !== undefined) {
    await writeFile(at('untrusted.pem'), untrusted);
    args.push('-untrusted', at('untrusted.pem'));
  }
  return (await run('openssl', [...args, at('leaf.pem')])).code === 0;
}

async function rejection(
  promise: Promise<unknown>,
): Promise<{ code?: string; hint?: string; message?: string }> {
  try {
    await promise;
  } catch (error) {
    return error as { code?: string; hint?: string; message?: string };
  }
  throw new Error('expected a rejection');
}

/** The PEMs of a bundle, normalised, in order. */
const pems = (bundle: string) => certificatesIn(bundle).map((c) => c.toString('pem'));
const normal = (pem: string) => new x509.X509Certificate(pem).toString('pem');

describe('CA rotation in the key store: start, switch, finish', () => {
  let root: string;
  let dir: string;
  let before: ClusterPki;
  let trusting: KeyStoreResult;
  let switched: KeyStoreResult;
  const at = (hours: number) => new Date(started.getTime() + hours * hourMs);

  beforeAll(async () => {
    await requireOpenssl();
    root = await makeTempDir();
    dir = join(root, 'pki');
    before = (await loadOrCreatePki(dir, request, { passphrase, now: created })).pki;
    trusting = await startCaRotation(dir, request, {
      passphrase,
      now: started,
      overlapMs: 2 * hourMs,
    });
  }, 60_000);
  afterAll(() => removeTempDir(root));

  it('records the rotation: which CAs, its phase, since when, when it may go on', async () => {
    const expected = {
      cas: ['ca', 'etcd/ca', 'front-proxy-ca'],
      phase: 'trusting',
      startedAt: started,
      phaseStartedAt: started,
      nextStepAt: at(2),
      overlapMs: 2 * hourMs,
    };
    expect(trusting.caRotation).toEqual(expected);
    expect(await readCaRotation(dir)).toEqual(expected);
  });

  it('start: every bundle trusts old + new, while the old CAs still sign every leaf', () => {
    const { pki, changes } = trusting;
    expect(changes).toEqual([]);
    const bundles = [
      [pki.trustBundles.ca, before.ca.certificate],
      [pki.trustBundles.etcdCa, before.etcdCa.certificate],
      [pki.trustBundles.frontProxyCa, before.frontProxyCa.certificate],
    ] as const;
    for (const [bundle, old] of bundles) {
      const [first, second, ...rest] = pems(bundle);
      expect(rest).toEqual([]);
      expect(first).toBe(normal(old));
      // The new CA: another key and another name (the start time after the profile's).
      expect(second).not.toBe(first);
      expect(new x509.X509Certificate(second ?? '').subject).toBe(
        `${new x509.X509Certificate(old).subject} ${started.toISOString()}`,
      );
    }
    for (const entry of pki.certificates) {
      expect(entry.certificate, entry.id).toBe(
        before.certificates.find((b) => b.id === entry.id)?.certificate,
      );
    }
    for (const kubeconfig of [
      pki.kubeconfigs.admin,
      pki.kubeconfigs.controllerManager,
      pki.kubeconfigs.scheduler,
      pki.workerBootstrap.kubeconfig,
    ]) {
      expect(kubeconfigCa(kubeconfig.reveal())).toBe(pki.trustBundles.ca);
    }
  });

  it('loads the started rotation again, changing nothing', async () => {
    const again = await loadOrCreatePki(dir, request, { passphrase, now: at(1) });
    expect(again.changes).toEqual([]);
    expect(again.caRotation).toEqual(trusting.caRotation);
    expect(again.pki.trustBundles).toEqual(trusting.pki.trustBundles);
    expect(again.pki.kubeconfigs.admin.reveal()).toBe(trusting.pki.kubeconfigs.admin.reveal());
  }, 30_000);

  it('refuses a second start, a finish before the switch and an early switch, writing nothing', async () => {
    const files = await snapshotDir(dir);
    const second = await rejection(
      startCaRotation(dir, request, { passphrase, now: at(1), cas: ['etcd/ca'] }),
    );
    expect(second.code).toBe('HAKOC_CA_ROTATION_IN_PROGRESS');
    expect(second.hint).toMatch(/--switch/);
    const finish = await rejection(
      finishCaRotation(dir, request, { passphrase, now: at(5), force: true }),
    );
    expect(finish.code).toBe('HAKOC_CA_ROTATION_PHASE');
    expect(finish.hint).toMatch(/--switch/);
    const early = await rejection(switchCaRotation(dir, request, { passphrase, now: at(1) }));
    expect(early.code).toBe('HAKOC_CA_ROTATION_OVERLAP');
    expect(early.message).toContain(at(2).toISOString());
    expect(early.hint).toMatch(/--force/);
    expect(await snapshotDir(dir)).toEqual(files);
  }, 60_000);

  it('switch: the new CAs sign, every leaf is re-signed with its key, both still trusted', async () => {
    switched = await switchCaRotation(dir, request, { passphrase, now: at(3) });
    const { pki } = switched;
    expect(switched.caRotation).toMatchObject({ phase: 'switched', phaseStartedAt: at(3) });
    expect(switched.caRotation?.nextStepAt).toEqual(at(5));
    const pairs = [
      [pki.trustBundles.ca, pki.ca.certificate, before.ca.certificate],
      [pki.trustBundles.etcdCa, pki.etcdCa.certificate, before.etcdCa.certificate],
      [
        pki.trustBundles.frontProxyCa,
        pki.frontProxyCa.certificate,
        before.frontProxyCa.certificate,
      ],
    ] as const;
    const started = [
      trusting.pki.trustBundles.ca,
      trusting.pki.trustBundles.etcdCa,
      trusting.pki.trustBundles.frontProxyCa,
    ];
    for (const [i, [bundle, current, old]] of pairs.entries()) {
      // The CA the start made, now first; the old one after it.
      expect(pems(bundle)).toEqual([normal(current), normal(old)]);
      expect(normal(current)).toBe(pems(started[i] ?? '')[1]);
    }
    const leaves = pki.certificates.filter((entry) => entry.kind !== 'ca');
    expect(leaves.length).toBeGreaterThan(10);
    expect(
      switched.changes
        .filter((c) => c.action === 'reissued')
        .map((c) => c.id)
        .sort(),
    ).toEqual(leaves.map((leaf) => leaf.id).sort());
    for (const leaf of leaves) {
      const ca = pki.certificates.find((entry) => entry.id === leaf.issuer)?.certificate ?? '';
      const old = before.certificates.find((entry) => entry.id === leaf.issuer)?.certificate ?? '';
      expect(await opensslAccepts(root, ca, leaf.certificate), leaf.id).toBe(true);
      expect(await opensslAccepts(root, old, leaf.certificate), leaf.id).toBe(false);
      expect(leaf.key.reveal()).toBe(
        before.certificates.find((b) => b.id === leaf.id)?.key.reveal(),
      );
    }
    expect(kubeconfigCa(pki.kubeconfigs.admin.reveal())).toBe(pki.trustBundles.ca);
    const again = await loadOrCreatePki(dir, request, { passphrase, now: at(4) });
    expect(again.changes).toEqual([]);
    expect(again.pki.trustBundles).toEqual(pki.trustBundles);
    const twice = await rejection(switchCaRotation(dir, request, { passphrase, force: true }));
    expect(twice.code).toBe('HAKOC_CA_ROTATION_PHASE');
    const early = await rejection(finishCaRotation(dir, request, { passphrase, now: at(4) }));
    expect(early.code).toBe('HAKOC_CA_ROTATION_OVERLAP');
  }, 90_000);

  it('finish: the old CAs leave the bundles and the store, their keys deleted', async () => {
    const retiringKey = join(dir, storeLayout.retiringKey('ca'));
    expect(existsSync(retiringKey)).toBe(true);
    const finished = await finishCaRotation(dir, request, { passphrase, now: at(6) });
    const { pki } = finished;
    expect(finished.caRotation).toBeUndefined();
    expect(finished.changes).toEqual([]);
    expect(pki.trustBundles).toEqual({
      ca: switched.pki.ca.certificate,
      etcdCa: switched.pki.etcdCa.certificate,
      frontProxyCa: switched.pki.frontProxyCa.certificate,
    });
    expect(kubeconfigCa(pki.kubeconfigs.admin.reveal())).toBe(switched.pki.ca.certificate);
    expect(existsSync(retiringKey)).toBe(false);
    expect(existsSync(join(dir, storeLayout.retiringDir))).toBe(false);
    expect(existsSync(join(dir, storeLayout.incomingDir))).toBe(false);
    expect(await readCaRotation(dir)).toBeUndefined();

    const again = await loadOrCreatePki(dir, request, { passphrase, now: at(7) });
    expect(again.changes).toEqual([]);
    expect(again.pki.ca.certificate).toBe(switched.pki.ca.certificate);
    const none = await rejection(finishCaRotation(dir, request, { passphrase, force: true }));
    expect(none.code).toBe('HAKOC_CA_ROTATION_NONE');
    expect(none.hint).toMatch(/rotate-ca/);
  }, 60_000);
});

describe('rotating one CA', () => {
  let root: string;

  beforeAll(async () => {
    root = await makeTempDir();
  });
  afterAll(() => removeTempDir(root));

  it('touches only that CA and what it signs; force takes each step at once', async () => {
    const dir = join(root, 'pki');
    const before = (await loadOrCreatePki(dir, request, { passphrase })).pki;
    const trusting = await startCaRotation(dir, request, { passphrase, cas: ['etcd/ca'] });
    expect(trusting.pki.trustBundles.ca).toBe(before.ca.certificate);
    expect(pems(trusting.pki.trustBundles.etcdCa)).toHaveLength(2);
    const early = await rejection(switchCaRotation(dir, request, { passphrase }));
    expect(early.code).toBe('HAKOC_CA_ROTATION_OVERLAP');
    const switched = await switchCaRotation(dir, request, { passphrase, force: true });
    const reissued = switched.changes.filter((change) => change.action === 'reissued');
    expect(reissued.map((change) => change.id).sort()).toEqual(
      before.certificates
        .filter((entry) => entry.issuer === 'etcd/ca' && entry.kind !== 'ca')
        .map((entry) => entry.id)
        .sort(),
    );
    expect(switched.pki.apiserver.certificate).toBe(before.apiserver.certificate);
    const finished = await finishCaRotation(dir, request, { passphrase, force: true });
    expect(finished.pki.trustBundles.etcdCa).toBe(switched.pki.etcdCa.certificate);
    expect(await readFile(join(dir, 'etcd/ca.crt'), 'utf8')).toBe(switched.pki.etcdCa.certificate);
  }, 90_000);

  it('refuses to rotate a CA the store does not have', async () => {
    const error = await rejection(
      startCaRotation(join(root, 'empty'), request, { passphrase, cas: ['ca'] }),
    );
    expect(error.code).toBe('HAKOC_CA_ROTATION_NO_CA');
  }, 30_000);
});
