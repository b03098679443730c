import { createPrivateKey, createPublicKey, X509Certificate } from 'node:crypto';
import {
  type BootConfig,
  parseCloudConfig,
  parseIgnition,
  type RenderedCluster,
  renderCluster,
} from '@hakoc/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { exampleModel, pinsFor, pkiFor, UNUSED_SHA256 } from './fixtures.js';

// Which private keys reach which machines, decided by comparing public keys (a key hidden in a
// kubeconfig's base64 or re-encoded would escape a string search), and whether both renderers
// carry the same content for every role.

const PEM_KEY = /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]+?-----END [A-Z ]*PRIVATE KEY-----/g;

/** Every private key in a text, also inside base64 fields (kubeconfig `*-data`). */
function privateKeysIn(text: string): string[] {
  const decoded = [...text.matchAll(/[A-Za-z0-9+/=]{200,}/g)].map((m) =>
    Buffer.from(m[0], 'base64').toString('utf8'),
  );
  return [text, ...decoded].flatMap((t) => [...t.matchAll(PEM_KEY)].map((m) => m[0]));
}

/** The public keys (SPKI DER, hex) of every private key a config carries. */
function publicKeysIn(config: BootConfig): Set<string> {
  const texts = config.files.map((file) => Buffer.from(file.contents).toString('utf8'));
  return new Set(
    texts
      .flatMap(privateKeysIn)
      .map((pem) =>
        createPublicKey(createPrivateKey(pem))
          .export({ type: 'spki', format: 'der' })
          .toString('hex'),
      ),
  );
}

function publicKeyOf(certificate: string): string {
  return new X509Certificate(certificate).publicKey
    .export({ type: 'spki', format: 'der' })
    .toString('hex');
}

const rendered = new Map<string, RenderedCluster>();
const caKeys = new Map<string, string>();

beforeAll(async () => {
  for (const name of ['gce', 'vagrant'] as const) {
    const model = exampleModel(name);
    const pki = await pkiFor(model);
    rendered.set(
      name,
      renderCluster(model, pki, { pins: pinsFor(model, 'http://127.0.0.1:9', UNUSED_SHA256) }),
    );
    caKeys.set(`${name}:ca`, publicKeyOf(pki.ca.certificate));
    caKeys.set(`${name}:etcd/ca`, publicKeyOf(pki.etcdCa.certificate));
    caKeys.set(`${name}:front-proxy-ca`, publicKeyOf(pki.frontProxyCa.certificate));
  }
});

describe.each(['gce', 'vagrant'] as const)('%s configs', (name) => {
  const configs = () => {
    const output = rendered.get(name);
    if (output === undefined) throw new Error('not rendered');
    return output.manifest.configs.map((entry) => ({
      entry,
      config: parseIgnition(output.files.get(entry.ignition) ?? ''),
      cloudConfig:
        entry.cloudConfig === undefined ? undefined : output.files.get(entry.cloudConfig),
    }));
  };

  it('find keys at all (so the checks below can fail): controllers hold the cluster CA key', () => {
    const controller = configs().find(({ entry }) => entry.role === 'control-plane');
    expect(controller && publicKeysIn(controller.config).has(caKeys.get(`${name}:ca`) ?? '')).toBe(
      true,
    );
  });

  it('give workers no CA private key, and nobody the etcd CA key', () => {
    for (const { entry, config } of configs()) {
      const keys = publicKeysIn(config);
      expect(keys.has(caKeys.get(`${name}:etcd/ca`) ?? ''), entry.name).toBe(false);
      expect(keys.has(caKeys.get(`${name}:front-proxy-ca`) ?? ''), entry.name).toBe(false);
      if (entry.role === 'worker') {
        expect(keys.size, entry.name).toBe(0);
        const paths = config.files.map((file) => file.path);
        expect(paths).toContain('/etc/kubernetes/pki/ca.crt');
        expect(paths).toContain('/etc/kubernetes/bootstrap-kubelet.conf');
      }
      if (entry.role === 'etcd') expect(keys.size, entry.name).toBe(2);
    }
  });

  it('mark every file holding a key as a secret with mode 0600', () => {
    for (const { config } of configs()) {
      for (const file of config.files) {
        if (privateKeysIn(Buffer.from(file.contents).toString('utf8')).length > 0) {
          expect({ path: file.path, mode: file.mode }).toEqual({ path: file.path, mode: 0o600 });
        }
      }
    }
  });

  it('carry the same files, units and remote files in Ignition and cloud-config', () => {
    for (const { config, cloudConfig } of configs()) {
      if (cloudConfig === undefined) continue;
      const comparable = (c: BootConfig) => ({
        files: c.files.map((f) => ({
          ...f,
          contents: Buffer.from(f.contents).toString('hex'),
          secret: undefined,
        })),
        units: c.units,
        remoteFiles: (c.remoteFiles ?? []).map(({ neededBy: _, ...rest }) => rest),
      });
      expect(comparable(parseCloudConfig(cloudConfig))).toEqual(comparable(config));
    }
    if (name === 'gce')
      expect(configs().every(({ cloudConfig }) => cloudConfig === undefined)).toBe(true);
  });
});
