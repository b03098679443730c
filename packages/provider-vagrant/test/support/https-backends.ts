import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { run } from './tools.js';

/** A self-signed P-256 certificate for 127.0.0.1, made by the real openssl. */
export interface LoopbackCertificate {
  readonly cert: string;
  readonly key: string;
}

/** Makes a one-day certificate for `127.0.0.1` in `dir` with `openssl req -x509`. */
export async function makeLoopbackCertificate(dir: string): Promise<LoopbackCertificate> {
  const certPath = join(dir, 'server.crt');
  const keyPath = join(dir, 'server.key');
  const result = await run('openssl', [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-keyout',
    keyPath,
    '-out',
    certPath,
    '-days',
    '1',
    '-subj',
    '/CN=kube-apiserver',
    '-addext',
    'subjectAltName=IP:127.0.0.1',
  ]);
  if (result.code !== 0) throw new Error(`openssl req failed: ${result.stderr}`);
  return { cert: await readFile(certPath, 'utf8'), key: await readFile(keyPath, 'utf8') };
}

/** A stand-in API server: `/readyz` answers `ok`, every other path the server's name. */
export interface HttpsBackend {
  readonly name: string;
  readonly port: number;
  readonly server: Server;
}

/** Starts an HTTPS server on a free loopback port. */
export function startBackend(
  name: string,
  certificate: LoopbackCertificate,
): Promise<HttpsBackend> {
  const server = createServer(
    { cert: certificate.cert, key: certificate.key },
    (request, response) => {
      response.writeHead(200, { 'content-type': 'text/plain', connection: 'close' });
      response.end(request.url === '/readyz' ? 'ok' : name);
    },
  );
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      resolve({ name, port: (server.address() as AddressInfo).port, server });
    });
  });
}

/** Stops a backend the way a crashed API server stops: listener and every connection gone. */
export function killBackend(backend: HttpsBackend): Promise<void> {
  return new Promise((resolve) => {
    backend.server.close(() => resolve());
    backend.server.closeAllConnections();
  });
}
