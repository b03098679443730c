import { createServer, request, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { type ClusterPki, createClusterPki } from '@hakoc/certs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleRequest } from './fixtures.js';

interface Attempt {
  readonly ok: boolean;
  readonly body?: string;
  readonly error?: string;
}

/** One HTTPS GET with a client certificate; resolves with the body or the error. */
function get(
  port: number,
  options: { ca: string; cert?: string; key?: string; servername: string },
): Promise<Attempt> {
  return new Promise((resolve) => {
    const req = request(
      { host: '127.0.0.1', port, path: '/', method: 'GET', agent: false, ...options },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          body += chunk;
        });
        res.on('end', () => resolve({ ok: true, body }));
      },
    );
    req.on('error', (error) => resolve({ ok: false, error: error.message }));
    req.end();
  });
}

describe('a real TLS handshake with the apiserver certificate', () => {
  let pki: ClusterPki;
  let foreign: ClusterPki;
  let server: Server;
  let port: number;

  beforeAll(async () => {
    [pki, foreign] = await Promise.all([
      createClusterPki(sampleRequest()),
      createClusterPki(sampleRequest()),
    ]);
    server = createServer(
      {
        cert: pki.apiserver.certificate,
        key: pki.apiserver.key.reveal(),
        ca: pki.ca.certificate,
        requestCert: true,
        rejectUnauthorized: true,
      },
      (req, res) => {
        const peer = (req.socket as import('node:tls').TLSSocket).getPeerCertificate();
        res.end(`${peer.subject.O}/${peer.subject.CN}`);
      },
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const admin = (source: () => ClusterPki) => ({
    cert: source().clientCertificates.admin.certificate,
    key: source().clientCertificates.admin.key.reveal(),
  });

  it('accepts the admin client certificate, by API name and by loopback IP', async () => {
    for (const servername of ['api.example.com', 'kubernetes.default.svc']) {
      const result = await get(port, { ca: pki.ca.certificate, servername, ...admin(() => pki) });
      expect(result).toEqual({ ok: true, body: 'kubeadm:cluster-admins/kubernetes-admin' });
    }
    // Without servername Node checks the IP it dialled (127.0.0.1) against the IP SANs.
    const byIp = await get(port, { ca: pki.ca.certificate, servername: '', ...admin(() => pki) });
    expect(byIp.ok).toBe(true);
  });

  it('rejects a client certificate from a foreign CA, and a client without one', async () => {
    const foreignClient = await get(port, {
      ca: pki.ca.certificate,
      servername: 'api.example.com',
      ...admin(() => foreign),
    });
    expect(foreignClient.ok).toBe(false);
    const anonymous = await get(port, { ca: pki.ca.certificate, servername: 'api.example.com' });
    expect(anonymous.ok).toBe(false);
  });

  it('lets the client refuse the server when it trusts another CA or dials another name', async () => {
    const wrongCa = await get(port, {
      ca: foreign.ca.certificate,
      servername: 'api.example.com',
      ...admin(() => pki),
    });
    expect(wrongCa).toMatchObject({
      ok: false,
      error: expect.stringMatching(/self.signed|unable to verify|certificate/i),
    });
    const wrongName = await get(port, {
      ca: pki.ca.certificate,
      servername: 'evil.example.org',
      ...admin(() => pki),
    });
    expect(wrongName).toMatchObject({
      ok: false,
      error: expect.stringMatching(/altnames|Hostname/i),
    });
  });
});
