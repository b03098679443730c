import { writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { type ClusterPki, createClusterPki } from '@hakoc/certs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, removeTempDir, run, sampleRequest } from './fixtures.js';

/** What the stand-in API server saw of one request. */
interface Seen {
  readonly path: string;
  readonly clientCommonName: string | undefined;
  readonly authorization: string | undefined;
}

describe('kubectl reads the rendered kubeconfigs', () => {
  let dir: string;
  let pki: ClusterPki;
  let server: Server;
  let port: number;
  const seen: Seen[] = [];

  beforeAll(async () => {
    const version = await run('kubectl', ['version', '--client']).catch((error: unknown) => {
      throw new Error(`kubectl is required for this test: ${String(error)}`);
    });
    expect(version.code).toBe(0);
    dir = await makeTempDir();
    pki = await createClusterPki(sampleRequest());
    // A stand-in API server on the apiserver certificate: client certificates are checked
    // when offered (admin), bearer tokens are recorded (bootstrap).
    server = createServer(
      {
        cert: pki.apiserver.certificate,
        key: pki.apiserver.key.reveal(),
        ca: pki.ca.certificate,
        requestCert: true,
        rejectUnauthorized: false,
      },
      (req, res) => {
        const socket = req.socket as TLSSocket;
        const peer = socket.authorized ? socket.getPeerCertificate() : undefined;
        seen.push({
          path: new URL(req.url ?? '/', 'https://stand-in').pathname,
          clientCommonName: peer === undefined ? undefined : String(peer.subject.CN),
          authorization: req.headers.authorization,
        });
        res.setHeader('content-type', 'application/json');
        res.end(
          JSON.stringify({
            major: '1',
            minor: '37',
            gitVersion: 'v1.37.1',
            platform: 'linux/amd64',
          }),
        );
      },
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await removeTempDir(dir);
  });

  const kubectl = async (name: string, config: string) => {
    const file = join(dir, `${name}.conf`);
    await writeFile(file, config, { mode: 0o600 });
    // The kubeconfig names api.example.com:6443; point kubectl at the stand-in on 127.0.0.1,
    // still checking the certificate for the API name.
    return run('kubectl', [
      `--kubeconfig=${file}`,
      `--server=https://127.0.0.1:${port}`,
      '--tls-server-name=api.example.com',
      '--request-timeout=10s',
      'get',
      '--raw',
      '/version',
    ]);
  };

  it('authenticates with the admin client certificate against the embedded CA', async () => {
    const result = await kubectl('admin', pki.kubeconfigs.admin.reveal());
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toMatchObject({ gitVersion: 'v1.37.1' });
    expect(seen.at(-1)).toMatchObject({ path: '/version', clientCommonName: 'kubernetes-admin' });
  });

  it('sends the bootstrap token from the worker bootstrap kubeconfig', async () => {
    const result = await kubectl('bootstrap', pki.workerBootstrap.kubeconfig.reveal());
    expect(result.code).toBe(0);
    expect(seen.at(-1)).toMatchObject({
      clientCommonName: undefined,
      authorization: `Bearer ${pki.workerBootstrap.token.token.reveal()}`,
    });
  });

  it('refuses the server when the kubeconfig trusts another CA', async () => {
    const other = await createClusterPki(sampleRequest());
    const result = await kubectl('foreign', other.kubeconfigs.admin.reveal());
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/certificate|x509/i);
  });
});
