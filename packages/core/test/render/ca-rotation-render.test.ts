import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type ClusterPki,
  loadOrCreatePki,
  signingCaFile,
  startCaRotation,
  switchCaRotation,
} from '@hakoc/certs';
import { parseIgnition, pkiRequestFor, renderCluster } from '@hakoc/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleModel, ISSUED_AT, pinsFor, UNUSED_SHA256 } from './fixtures.js';

// The boot configs of a cluster whose CAs are being rotated, read back from the rendered
// Ignition: every file that holds a CA, and every CA file a component is pointed at, must be a
// trust bundle of old + new. The one exception is the certificate the controller-manager and
// the controllers' boot scripts sign with, which is the signing CA alone.

const passphrase = 'correct horse battery staple';
const model = exampleModel('gce');
const pins = pinsFor(model, 'http://127.0.0.1:9', UNUSED_SHA256);
const pemPattern = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;
const normal = (pem: string) => pem.replace(/\s+/g, '');

/** Every machine's files, by config name then path, as text. */
function renderedFiles(pki: ClusterPki): Map<string, Map<string, string>> {
  const output = renderCluster(model, pki, { pins });
  return new Map(
    output.manifest.configs.map((config) => {
      const boot = parseIgnition(output.files.get(config.ignition) ?? '');
      const files = new Map(
        boot.files.map((file) => [
          file.path,
          typeof file.contents === 'string'
            ? file.contents
            : Buffer.from(file.contents).toString('utf8'),
        ]),
      );
      return [`${config.role}:${config.name}`, files];
    }),
  );
}

/** The certificates a file holds, directly or as a kubeconfig's certificate-authority-data. */
function certificatesIn(text: string): string[] {
  const embedded = [...text.matchAll(/certificate-authority-data: (\S+)/g)].map((match) =>
    Buffer.from(match[1] ?? '', 'base64').toString('utf8'),
  );
  return [text, ...embedded].flatMap((part) => (part.match(pemPattern) ?? []).map(normal));
}

/** Paths a component is told to trust as a CA: flags, config fields, kubeconfig files. */
function trustReferences(text: string): string[] {
  const patterns = [
    /--(?:client-ca-file|requestheader-client-ca-file|etcd-cafile|root-ca-file)=(\S+)/g,
    /trusted-ca-file: (\S+)/g,
    /clientCAFile: (\S+)/g,
    /certificate-authority: (\S+)/g,
    /caFile: (\S+)/g,
  ];
  return patterns.flatMap((pattern) => [...text.matchAll(pattern)].map((m) => m[1] ?? ''));
}

describe('boot configs during a CA rotation', () => {
  let store: string;
  let before: ClusterPki;
  let started: ClusterPki;
  let switched: ClusterPki;

  beforeAll(async () => {
    store = mkdtempSync(join(tmpdir(), 'hakoc-rotation-render-'));
    const request = pkiRequestFor(model);
    before = (await loadOrCreatePki(store, request, { passphrase, now: ISSUED_AT })).pki;
    const now = new Date(ISSUED_AT.getTime() + 60_000);
    started = (await startCaRotation(store, request, { passphrase, now })).pki;
    switched = (await switchCaRotation(store, request, { passphrase, now, force: true })).pki;
  }, 60_000);
  afterAll(() => rmSync(store, { recursive: true, force: true }));

  for (const step of ['started', 'switched'] as const) {
    it(`after the ${step === 'started' ? 'start' : 'switch'}, every CA a machine holds or is pointed at is old + new`, () => {
      const pki = step === 'started' ? started : switched;
      const cas = {
        cluster: [before.ca.certificate, pki.trustBundles.ca],
        etcd: [before.etcdCa.certificate, pki.trustBundles.etcdCa],
        frontProxy: [before.frontProxyCa.certificate, pki.trustBundles.frontProxyCa],
      };
      const kinds = Object.entries(cas).map(([kind, [old, bundle]]) => {
        const both = (bundle ?? '').match(pemPattern)?.map(normal) ?? [];
        expect(both, kind).toHaveLength(2);
        return { kind, old: normal(old ?? ''), both };
      });
      const bundled: string[] = [];
      for (const [machine, files] of renderedFiles(pki)) {
        for (const [path, text] of files) {
          const found = certificatesIn(text);
          for (const { kind, old, both } of kinds) {
            const has = both.filter((pem) => found.includes(pem));
            if (has.length === 0) continue;
            if (path.endsWith(`/${signingCaFile}`)) {
              // The signer: the one CA that signs now, never a bundle.
              expect(has, `${machine} ${path}`).toEqual([normal(pki.ca.certificate)]);
              expect(has.includes(old)).toBe(step === 'started');
              continue;
            }
            expect(has.sort(), `${machine} ${path} (${kind})`).toEqual([...both].sort());
            bundled.push(`${machine.split(':')[0]} ${path}`);
          }
          for (const reference of trustReferences(text)) {
            const target = files.get(reference);
            if (target === undefined) continue;
            const inTarget = certificatesIn(target);
            expect(
              kinds.some(({ both }) => both.every((pem) => inTarget.includes(pem))),
              `${machine} ${path} trusts ${reference}`,
            ).toBe(true);
          }
        }
      }
      // Every place the rotation must reach, on every role.
      for (const expected of [
        'control-plane /etc/kubernetes/pki/ca.crt',
        'control-plane /etc/kubernetes/pki/etcd/ca.crt',
        'control-plane /etc/kubernetes/pki/front-proxy-ca.crt',
        'control-plane /etc/kubernetes/controller-manager.conf',
        'control-plane /etc/kubernetes/scheduler.conf',
        'worker /etc/kubernetes/pki/ca.crt',
        'worker /etc/kubernetes/bootstrap-kubelet.conf',
        'etcd /etc/etcd/pki/ca.crt',
      ]) {
        expect(bundled, expected).toContain(expected);
      }
    });
  }

  it('points the components at the bundles and the signer at the signing CA alone', () => {
    const files = [...renderedFiles(started)].find(([name]) => name.startsWith('control-plane'));
    const all = [...(files?.[1]?.values() ?? [])].join('\n');
    for (const flag of [
      '--client-ca-file=/etc/kubernetes/pki/ca.crt',
      '--requestheader-client-ca-file=/etc/kubernetes/pki/front-proxy-ca.crt',
      '--etcd-cafile=/etc/kubernetes/pki/etcd/ca.crt',
      '--root-ca-file=/etc/kubernetes/pki/ca.crt',
      `--cluster-signing-cert-file=/etc/kubernetes/pki/${signingCaFile}`,
      'clientCAFile: /etc/kubernetes/pki/ca.crt',
    ]) {
      expect(all, flag).toContain(flag);
    }
  });
});
