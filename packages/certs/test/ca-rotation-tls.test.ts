import { join } from 'node:path';
import { connect, createServer, type Server } from 'node:tls';
import {
  type ClusterPki,
  finishCaRotation,
  loadOrCreatePki,
  startCaRotation,
  switchCaRotation,
} from '@hakoc/certs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, passphrase, removeTempDir, sampleRequest } from './fixtures.js';

// Real TLS handshakes (Node's OpenSSL, mutual authentication, on loopback) between machines in
// every state a CA rotation passes through. During each apply a rolled machine talks to ones
// that have not rolled yet, in both directions, so every two neighbouring states must accept
// each other both ways; the test also shows which shortcuts would break a cluster.

const request = sampleRequest({ etcdMembers: sampleRequest().etcdMembers.slice(0, 1) });

/** A machine's view of the cluster CA: what it presents and what it trusts. */
interface MachineState {
  readonly name: string;
  /** The API server's serving certificate (a server) and the admin's (a client). */
  readonly server: { readonly cert: string; readonly key: string };
  readonly client: { readonly cert: string; readonly key: string };
  readonly trust: string;
  /** What the state is meant to be, from which the expected outcomes follow. */
  readonly presents: 'old' | 'new';
  readonly trusts: readonly ('old' | 'new')[];
}

function stateOf(
  name: string,
  pki: ClusterPki,
  presents: MachineState['presents'],
  trusts: MachineState['trusts'],
): MachineState {
  return {
    name,
    server: { cert: pki.apiserver.certificate, key: pki.apiserver.key.reveal() },
    client: {
      cert: pki.clientCertificates.admin.certificate,
      key: pki.clientCertificates.admin.key.reveal(),
    },
    trust: pki.trustBundles.ca,
    presents,
    trusts,
  };
}

/** Starts a server in `state` that requires a client certificate its trust bundle accepts. */
async function serve(state: MachineState): Promise<{ server: Server; port: number }> {
  const server = createServer(
    { ...state.server, ca: state.trust, requestCert: true, rejectUnauthorized: true },
    (socket) => socket.end('ok'),
  );
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return { server, port: typeof address === 'object' && address !== null ? address.port : 0 };
}

/** Whether a client in `state` completes a mutual handshake with the server and hears it. */
function handshake(state: MachineState, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({
      host: '127.0.0.1',
      port,
      servername: 'localhost',
      ...state.client,
      ca: state.trust,
      timeout: 5000,
    });
    let heard = '';
    socket.on('data', (chunk) => {
      heard += String(chunk);
    });
    socket.on('end', () => resolve(heard === 'ok'));
    socket.on('error', () => resolve(false));
    socket.on('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

describe('TLS between machines across a CA rotation', () => {
  let root: string;
  let states: MachineState[];
  const servers: Server[] = [];
  const ports = new Map<string, number>();

  beforeAll(async () => {
    root = await makeTempDir();
    const dir = join(root, 'pki');
    const before = (await loadOrCreatePki(dir, request, { passphrase })).pki;
    const trusting = (await startCaRotation(dir, request, { passphrase, cas: ['ca'] })).pki;
    const switched = (await switchCaRotation(dir, request, { passphrase, force: true })).pki;
    const finished = (await finishCaRotation(dir, request, { passphrase, force: true })).pki;
    states = [
      stateOf('before', before, 'old', ['old']),
      stateOf('started', trusting, 'old', ['old', 'new']),
      stateOf('switched', switched, 'new', ['old', 'new']),
      stateOf('finished', finished, 'new', ['new']),
    ];
    for (const state of states) {
      const { server, port } = await serve(state);
      servers.push(server);
      ports.set(state.name, port);
    }
  }, 90_000);
  afterAll(async () => {
    for (const server of servers) await new Promise((resolve) => server.close(resolve));
    await removeTempDir(root);
  });

  const state = (name: string): MachineState => {
    const found = states.find((candidate) => candidate.name === name);
    if (found === undefined) throw new Error(`no state ${name}`);
    return found;
  };
  const works = (client: string, server: string) =>
    handshake(state(client), ports.get(server) ?? 0);

  it('the states are what the rotation says: the trust bundles hold old, old + new, new', () => {
    const count = (pem: string) => pem.match(/BEGIN CERTIFICATE/g)?.length ?? 0;
    expect(states.map((s) => count(s.trust))).toEqual([1, 2, 2, 1]);
    expect(state('started').server.cert).toBe(state('before').server.cert);
    expect(state('switched').server.cert).not.toBe(state('started').server.cert);
    expect(state('finished').server.cert).toBe(state('switched').server.cert);
  });

  it('every pair of states agrees with their certificates and trust, both ways', async () => {
    const outcomes: string[] = [];
    const expected: string[] = [];
    for (const client of states) {
      for (const server of states) {
        const accepted =
          client.trusts.includes(server.presents) && server.trusts.includes(client.presents);
        expected.push(`${client.name} → ${server.name}: ${accepted}`);
        outcomes.push(`${client.name} → ${server.name}: ${await works(client.name, server.name)}`);
      }
    }
    expect(outcomes).toEqual(expected);
  }, 60_000);

  it('during each apply, a rolled and a not-yet-rolled machine accept each other both ways', async () => {
    for (const [earlier, later] of [
      ['before', 'started'],
      ['started', 'switched'],
      ['switched', 'finished'],
    ] as const) {
      expect(await works(earlier, later), `${earlier} client → ${later} server`).toBe(true);
      expect(await works(later, earlier), `${later} client → ${earlier} server`).toBe(true);
    }
  }, 30_000);

  it('in the overlap: an old-leaf client reaches a bundle-trusting server, a new-leaf server a bundle-trusting client', async () => {
    expect(await works('before', 'started')).toBe(true);
    expect(await works('started', 'switched')).toBe(true);
    expect(await works('switched', 'started')).toBe(true);
  }, 30_000);

  it('the shortcuts fail: a new leaf before everyone trusts it, an old leaf after the finish', async () => {
    // Switching in the same apply as trusting: a machine still on the old CA alone refuses.
    expect(await works('before', 'switched')).toBe(false);
    expect(await works('switched', 'before')).toBe(false);
    // After the finish, a client still presenting the old CA's certificate is refused.
    expect(await works('started', 'finished')).toBe(false);
    expect(await works('before', 'finished')).toBe(false);
  }, 30_000);
});
