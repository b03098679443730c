import {
  bootstrapTokenFrom,
  bootstrapTokenGroup,
  type ClusterPki,
  createBootstrapToken,
  createClusterPki,
  isHakocError,
  kubeletServingCertificates,
  manifestsToYaml,
} from '@hakoc/certs';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { sampleRequest } from './fixtures.js';

const decode = (base64: unknown) => Buffer.from(String(base64), 'base64').toString('utf8');

describe('bootstrap tokens', () => {
  it('are [a-z0-9]{6}.[a-z0-9]{16} from the crypto RNG, unique, with an expiry', () => {
    const now = new Date('2026-01-01T00:00:00Z');
    const tokens = Array.from({ length: 500 }, () => createBootstrapToken({ ttlDays: 2, now }));
    for (const token of tokens) {
      expect(token.token.reveal()).toMatch(/^[a-z0-9]{6}\.[a-z0-9]{16}$/);
      expect(token.token.reveal()).toBe(`${token.id}.${token.secret.reveal()}`);
      expect(token.expires).toEqual(new Date('2026-01-03T00:00:00Z'));
    }
    expect(new Set(tokens.map((token) => token.token.reveal())).size).toBe(500);
    // Every character of the alphabet turns up: no bias towards a subset.
    expect(new Set(tokens.flatMap((token) => [...token.secret.reveal()])).size).toBe(36);
  });

  it('refuses malformed tokens', () => {
    for (const bad of [
      'abcdef.0123456789abcdeF',
      'abcde.0123456789abcdef',
      'abcdef0123456789abcdef',
      '',
    ]) {
      const error = (() => {
        try {
          bootstrapTokenFrom(bad, new Date());
        } catch (caught) {
          return caught;
        }
      })();
      expect(isHakocError(error) && error.code).toBe('HAKOC_BOOTSTRAP_TOKEN_INVALID');
    }
  });
});

describe('worker join material and kubeconfigs', () => {
  let pki: ClusterPki;
  beforeAll(async () => {
    pki = await createClusterPki(sampleRequest());
  });

  it('gives workers a bootstrap kubeconfig with the CA certificate and the token, no key', () => {
    const config = parse(pki.workerBootstrap.kubeconfig.reveal());
    expect(config.clusters[0].cluster.server).toBe('https://api.example.com:6443');
    expect(decode(config.clusters[0].cluster['certificate-authority-data'])).toBe(
      pki.ca.certificate,
    );
    expect(config.users[0].user).toEqual({ token: pki.workerBootstrap.token.token.reveal() });
    expect(pki.workerBootstrap.kubeconfig.reveal()).not.toContain('PRIVATE KEY');
  });

  it('renders the token Secret the API server authenticates workers with', () => {
    const secret = parse(pki.workerBootstrap.tokenSecretManifest.reveal());
    const { token } = pki.workerBootstrap;
    expect(secret).toMatchObject({
      apiVersion: 'v1',
      kind: 'Secret',
      type: 'bootstrap.kubernetes.io/token',
      metadata: { name: `bootstrap-token-${token.id}`, namespace: 'kube-system' },
      stringData: {
        'token-id': token.id,
        'token-secret': token.secret.reveal(),
        'usage-bootstrap-authentication': 'true',
        'auth-extra-groups': bootstrapTokenGroup,
      },
    });
    expect(secret.stringData.expiration).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(bootstrapTokenGroup.startsWith('system:bootstrappers:')).toBe(true);
  });

  it('binds bootstrappers to CSR creation and node client auto-approval, never serving certs', () => {
    const documents = parseAllDocuments(manifestsToYaml(pki.workerBootstrap.rbacManifests)).map(
      (d) => d.toJS(),
    );
    const bindings = Object.fromEntries(
      documents.map((doc) => [doc.roleRef.name, doc.subjects.map((s: { name: string }) => s.name)]),
    );
    expect(bindings).toEqual({
      'system:node-bootstrapper': [bootstrapTokenGroup],
      'system:certificates.k8s.io:certificatesigningrequests:nodeclient': [bootstrapTokenGroup],
      'system:certificates.k8s.io:certificatesigningrequests:selfnodeclient': ['system:nodes'],
      'cluster-admin': ['kubeadm:cluster-admins'],
    });
    expect(kubeletServingCertificates).toEqual({ mode: 'self-signed', serverTLSBootstrap: false });
  });

  it('renders the four kubeconfigs with the CA and their client certificate embedded', () => {
    const expected = {
      admin: ['https://api.example.com:6443', 'kubernetes-admin'],
      superAdmin: ['https://api.example.com:6443', 'kubernetes-super-admin'],
      controllerManager: ['https://127.0.0.1:6443', 'system:kube-controller-manager'],
      scheduler: ['https://127.0.0.1:6443', 'system:kube-scheduler'],
    } as const;
    for (const [user, [server, name]] of Object.entries(expected)) {
      const key = user as keyof typeof expected;
      const config = parse(pki.kubeconfigs[key].reveal());
      expect(config.clusters[0].cluster.server).toBe(server);
      expect(config['current-context']).toBe(`${name}@demo`);
      expect(config.users[0].name).toBe(name);
      expect(decode(config.clusters[0].cluster['certificate-authority-data'])).toBe(
        pki.ca.certificate,
      );
      expect(decode(config.users[0].user['client-certificate-data'])).toBe(
        pki.clientCertificates[key].certificate,
      );
      expect(decode(config.users[0].user['client-key-data'])).toBe(
        pki.clientCertificates[key].key.reveal(),
      );
    }
  });
});
