import { type ChildProcess, execFile, spawn } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { loadOrCreatePki } from '@hakoc/certs';
import { ExitCode, runCli } from '@hakoc/cli';
import { buildClusterModel, callEtcdGateway, loadClusterSpec, pkiRequestFor } from '@hakoc/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { captureIo } from './capture-io.js';

// `hakoc etcd snapshot` and `hakoc etcd remove-member` against a real etcd (Debian's) that runs
// with member demo-etcd-0's certificates from the key store `hakoc certs init` created, on the
// member's own loopback address of the Vagrant example on 127.0.0.0/24.

const run = promisify(execFile);
const passphrase = 'correct horse battery staple';
const env = { HAKOC_PASSPHRASE: passphrase };
let cwd: string;
let endpoint: string;
let etcd: ChildProcess | undefined;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

const hakoc = async (args: string[]) => {
  const io = captureIo({ cwd, env });
  return { code: await runCli(args, io), out: io.out(), err: io.err() };
};

beforeAll(async () => {
  cwd = mkdtempSync(join(tmpdir(), 'hakoc-cli-etcd-'));
  const document = parse(
    readFileSync(new URL('../../../examples/vagrant.yaml', import.meta.url), 'utf8'),
  ) as { spec: Record<string, unknown> };
  document.spec.provider = { vagrant: { network: '127.0.0.0/24', hypervisor: 'libvirt' } };
  writeFileSync(join(cwd, 'cluster.yaml'), stringify(document));
  expect((await hakoc(['certs', 'init', 'cluster.yaml'])).code).toBe(ExitCode.Ok);

  const model = buildClusterModel(loadClusterSpec(document));
  const { pki } = await loadOrCreatePki(join(cwd, model.keyStore.dir), pkiRequestFor(model), {
    passphrase,
  });
  const member = pki.etcdMembers['demo-etcd-0'];
  if (member === undefined) throw new Error('no certificates for demo-etcd-0');
  const files = join(cwd, 'member');
  mkdirSync(files, { mode: 0o700 });
  writeFileSync(join(files, 'ca.crt'), pki.etcdCa.certificate);
  writeFileSync(join(files, 'server.crt'), member.server.certificate);
  writeFileSync(join(files, 'server.key'), member.server.key.reveal(), { mode: 0o600 });
  const [client, peer] = [await freePort(), await freePort()];
  endpoint = `https://127.0.0.10:${client}`;
  const tls = (prefix: string) => [
    `--${prefix}cert-file=${join(files, 'server.crt')}`,
    `--${prefix}key-file=${join(files, 'server.key')}`,
    `--${prefix}trusted-ca-file=${join(files, 'ca.crt')}`,
    `--${prefix}client-cert-auth`,
  ];
  etcd = spawn(
    'etcd',
    [
      '--name=demo-etcd-0',
      `--data-dir=${join(cwd, 'data')}`,
      `--listen-client-urls=${endpoint}`,
      `--advertise-client-urls=${endpoint}`,
      `--listen-peer-urls=https://127.0.0.10:${peer}`,
      `--initial-advertise-peer-urls=https://127.0.0.10:${peer}`,
      `--initial-cluster=demo-etcd-0=https://127.0.0.10:${peer}`,
      ...tls(''),
      ...tls('peer-'),
    ],
    { stdio: 'ignore' },
  );
  const operator = {
    ca: pki.etcdCa.certificate,
    certificate: pki.apiserverEtcdClient.certificate,
    key: pki.apiserverEtcdClient.key.reveal(),
  };
  // Bounded: 40 tries a quarter of a second apart.
  for (let attempt = 0; ; attempt++) {
    try {
      await callEtcdGateway({ endpoint, tls: operator, timeoutMs: 2000 }, '/v3/kv/put', {
        key: Buffer.from('/hakoc/cli').toString('base64'),
        value: Buffer.from('backed-up').toString('base64'),
      });
      break;
    } catch (error) {
      if (attempt >= 40) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}, 30_000);

afterAll(() => {
  etcd?.kill('SIGKILL');
  rmSync(cwd, { recursive: true, force: true });
});

describe('hakoc etcd snapshot', () => {
  it('saves a snapshot over TLS with the key store certificate: 0600, checksummed, restorable', async () => {
    const { code, out, err } = await hakoc([
      'etcd',
      'snapshot',
      'cluster.yaml',
      '--endpoint',
      endpoint,
      '--out',
      'backup.db',
    ]);
    expect({ code, err }).toMatchObject({ code: ExitCode.Ok, err: expect.stringContaining('✓') });
    const path = join(cwd, 'backup.db');
    expect(out).toBe(`${path}\n`);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    await run('sha256sum', ['-c', 'backup.db.sha256'], { cwd });
    const restored = join(cwd, 'restored');
    await run(
      'etcdctl',
      [
        'snapshot',
        'restore',
        path,
        '--name=demo-etcd-0',
        `--data-dir=${restored}`,
        '--initial-cluster=demo-etcd-0=https://127.0.0.10:2380',
        '--initial-advertise-peer-urls=https://127.0.0.10:2380',
      ],
      { env: { ...process.env, ETCDCTL_API: '3' } },
    );
    expect(existsSync(join(restored, 'member', 'snap', 'db'))).toBe(true);
  });

  it('prints the file, size and checksum as JSON with --json', async () => {
    const { code, out } = await hakoc([
      'etcd',
      'snapshot',
      'cluster.yaml',
      '--endpoint',
      endpoint,
      '--out',
      'second.db',
      '--json',
    ]);
    expect(code).toBe(ExitCode.Ok);
    const result = JSON.parse(out) as { path: string; bytes: number; sha256: string };
    expect(result.path).toBe(join(cwd, 'second.db'));
    expect(result.bytes).toBe(statSync(result.path).size);
    expect(readFileSync(`${result.path}.sha256`, 'utf8')).toBe(`${result.sha256}  second.db\n`);
  });

  it('fails with exit status 1 and writes nothing when no member answers', async () => {
    const silent = `https://127.0.0.10:${await freePort()}`;
    const { code, err } = await hakoc([
      'etcd',
      'snapshot',
      'cluster.yaml',
      '--endpoint',
      silent,
      '--out',
      'never.db',
      '--timeout',
      '5',
    ]);
    expect(code).toBe(ExitCode.Failure);
    expect(err).toContain(`etcd at ${silent} did not answer`);
    expect(existsSync(join(cwd, 'never.db'))).toBe(false);
  });

  it('refuses to start without the key store', async () => {
    const { code, err } = await hakoc([
      'etcd',
      'snapshot',
      'cluster.yaml',
      '--endpoint',
      endpoint,
      '--out',
      'never.db',
      '--dir',
      'nowhere',
    ]);
    expect(code).toBe(ExitCode.Failure);
    expect(err).toContain('no etcd CA in the key store');
  });
});

describe('hakoc etcd remove-member', () => {
  it('has nothing to do for a name no member has', async () => {
    const { code, err } = await hakoc([
      'etcd',
      'remove-member',
      'cluster.yaml',
      '--endpoint',
      endpoint,
      '--name',
      'demo-etcd-9',
    ]);
    expect(code).toBe(ExitCode.Ok);
    expect(err).toContain('no member is called demo-etcd-9');
  });

  it('refuses to remove the member it talks to', async () => {
    const { code, err } = await hakoc([
      'etcd',
      'remove-member',
      'cluster.yaml',
      '--endpoint',
      endpoint,
      '--name',
      'demo-etcd-0',
    ]);
    expect(code).toBe(ExitCode.Failure);
    expect(err).toContain('ask a member that stays');
  });
});
