import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { type CertifiedKey, type ClusterPki, createClusterPki } from '@hakoc/certs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, removeTempDir, run, sampleRequest } from './fixtures.js';

/** A free TCP port on `host`, found by letting the kernel pick one. */
function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

interface Member {
  readonly name: string;
  readonly ip: string;
  readonly clientPort: number;
  readonly peerPort: number;
}

describe('a real 3-member etcd cluster on the generated etcd certificates', () => {
  let dir: string;
  let pki: ClusterPki;
  let foreign: ClusterPki;
  let members: Member[];
  const processes: ChildProcess[] = [];

  const writePair = async (name: string, pair: CertifiedKey) => {
    await writeFile(join(dir, `${name}.crt`), pair.certificate, { mode: 0o600 });
    await writeFile(join(dir, `${name}.key`), pair.key.reveal(), { mode: 0o600 });
  };
  const etcdctl = (client: string, timeoutSeconds: number, ...args: string[]) =>
    run('etcdctl', [
      `--endpoints=${members.map((m) => `https://${m.ip}:${m.clientPort}`).join(',')}`,
      `--cacert=${join(dir, 'etcd-ca.crt')}`,
      `--cert=${join(dir, `${client}.crt`)}`,
      `--key=${join(dir, `${client}.key`)}`,
      `--dial-timeout=${timeoutSeconds}s`,
      `--command-timeout=${timeoutSeconds}s`,
      ...args,
    ]);

  beforeAll(async () => {
    const version = await run('etcd', ['--version']).catch((error: unknown) => {
      throw new Error(`etcd is required for this test: ${String(error)}`);
    });
    expect(version.code).toBe(0);
    dir = await makeTempDir();
    // A random 127.x.y.0/24 so parallel suites on this machine do not collide.
    const net = `127.${randomInt(1, 255)}.${randomInt(0, 255)}`;
    members = await Promise.all(
      [0, 1, 2].map(async (i) => {
        const ip = `${net}.${i + 1}`;
        return {
          name: `etcd-${i}`,
          ip,
          clientPort: await freePort(ip),
          peerPort: await freePort(ip),
        };
      }),
    );
    const request = sampleRequest({
      etcdMembers: members.map((m) => ({
        name: m.name,
        dnsName: `${m.name}.example.com`,
        ips: [m.ip],
      })),
    });
    [pki, foreign] = await Promise.all([createClusterPki(request), createClusterPki(request)]);
    await writeFile(join(dir, 'etcd-ca.crt'), pki.etcdCa.certificate);
    await writePair('apiserver-etcd-client', pki.apiserverEtcdClient);
    await writePair('foreign-client', foreign.apiserverEtcdClient);
    await writePair('cluster-ca-client', pki.apiserverKubeletClient);

    const initialCluster = members.map((m) => `${m.name}=https://${m.ip}:${m.peerPort}`).join(',');
    const token = `hakoc-test-${randomBytes(6).toString('hex')}`;
    for (const member of members) {
      const certs = pki.etcdMembers[member.name];
      if (certs === undefined) throw new Error(`no certificates for ${member.name}`);
      await writePair(`${member.name}-server`, certs.server);
      await writePair(`${member.name}-peer`, certs.peer);
      await mkdir(join(dir, `${member.name}.data`), { mode: 0o700 });
      const child = spawn(
        'etcd',
        [
          `--name=${member.name}`,
          `--data-dir=${join(dir, `${member.name}.data`)}`,
          `--listen-client-urls=https://${member.ip}:${member.clientPort}`,
          `--advertise-client-urls=https://${member.ip}:${member.clientPort}`,
          `--listen-peer-urls=https://${member.ip}:${member.peerPort}`,
          `--initial-advertise-peer-urls=https://${member.ip}:${member.peerPort}`,
          `--initial-cluster=${initialCluster}`,
          `--initial-cluster-token=${token}`,
          '--initial-cluster-state=new',
          `--cert-file=${join(dir, `${member.name}-server.crt`)}`,
          `--key-file=${join(dir, `${member.name}-server.key`)}`,
          '--client-cert-auth',
          `--trusted-ca-file=${join(dir, 'etcd-ca.crt')}`,
          `--peer-cert-file=${join(dir, `${member.name}-peer.crt`)}`,
          `--peer-key-file=${join(dir, `${member.name}-peer.key`)}`,
          '--peer-client-cert-auth',
          `--peer-trusted-ca-file=${join(dir, 'etcd-ca.crt')}`,
          '--quota-backend-bytes=16777216',
        ],
        { stdio: 'ignore' },
      );
      processes.push(child);
    }
    // Wait until the members have elected a leader and answer over TLS.
    const deadline = Date.now() + 30_000;
    while ((await etcdctl('apiserver-etcd-client', 1, 'endpoint', 'health')).code !== 0) {
      if (Date.now() > deadline) throw new Error('etcd did not become healthy in 30 s');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }, 60_000);

  afterAll(async () => {
    await Promise.all(
      processes.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null) return resolve();
            child.once('exit', () => resolve());
            // Our own throwaway members: no graceful leader hand-over needed.
            child.kill('SIGKILL');
          }),
      ),
    );
    if (dir !== undefined) await removeTempDir(dir);
  });

  it('serves writes and reads to the apiserver-etcd-client certificate', async () => {
    expect((await etcdctl('apiserver-etcd-client', 5, 'put', 'hakoc', 'works')).code).toBe(0);
    const read = await etcdctl('apiserver-etcd-client', 5, 'get', 'hakoc', '--print-value-only');
    expect(read.stdout.trim()).toBe('works');
    const list = await etcdctl('apiserver-etcd-client', 5, 'member', 'list');
    expect(list.stdout.split('\n').filter((line) => line.includes('started'))).toHaveLength(3);
  });

  it('refuses a client certificate from a foreign CA and one from the cluster CA', async () => {
    // A refused handshake makes etcdctl retry until its timeout: keep that short.
    const [fromForeignCa, fromClusterCa] = await Promise.all([
      etcdctl('foreign-client', 1, 'get', 'hakoc'),
      etcdctl('cluster-ca-client', 1, 'get', 'hakoc'),
    ]);
    expect(fromForeignCa.code).not.toBe(0);
    expect(fromClusterCa.code).not.toBe(0);
    expect(fromForeignCa.stderr).toMatch(/certificate|tls|deadline|context/i);
  });
});
