import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type EtcdConfigFile, machinePaths, renderCluster } from '@hakoc/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { applyIgnition, requireTool } from '../support/real-tools.js';
import { exampleModel, pkiFor } from './fixtures.js';

// A real 3-member etcd cluster (Debian's etcd) started from the rendered etcd configs and the
// certificates the real Ignition wrote. The cluster is the Vagrant example on a loopback
// "private network" (127.0.0.0/24), so members get 127.0.0.3–5 from the model itself and their
// certificates name those addresses. The test rewrites only what a test must: the ports (free
// ones, so parallel runs cannot collide), the data dirs (temporary), the certificate folder
// (inside Ignition's scratch root) and the cluster token (unique per run, as etcd requires).
// The extra 127.0.0.1 client listener is dropped: three members on one host would all claim it.

const run = promisify(execFile);
const etcd = requireTool('etcd');
const etcdctl = requireTool('etcdctl');

interface Member {
  readonly name: string;
  readonly clientUrl: string;
  process?: ChildProcess;
}

const members: Member[] = [];
const scratch: string[] = [];
let client: { cacert: string; cert: string; key: string };
let foreign: { cacert: string; cert: string; key: string };

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

function withPort(urls: string, from: number, to: number): string {
  return urls.replaceAll(`:${from}`, `:${to}`);
}

function etcdctlArgs(endpoints: string, tls: typeof client, ...command: string[]): string[] {
  return [
    `--endpoints=${endpoints}`,
    `--cacert=${tls.cacert}`,
    `--cert=${tls.cert}`,
    `--key=${tls.key}`,
    '--dial-timeout=2s',
    '--command-timeout=3s',
    ...command,
  ];
}

function ctl(endpoints: string, tls: typeof client, ...command: string[]) {
  return run(etcdctl, etcdctlArgs(endpoints, tls, ...command), {
    env: { ...process.env, ETCDCTL_API: '3' },
    timeout: 10_000,
  });
}

/** Writes the files a config holds below `dir`, returning a path lookup. */
function filesOf(ignition: string): (path: string) => string {
  const { root } = applyIgnition(ignition);
  scratch.push(root);
  return (path) => join(root, path);
}

beforeAll(async () => {
  const model = exampleModel('vagrant', (document) => {
    const spec = document.spec as Record<string, unknown>;
    spec.provider = { vagrant: { network: '127.0.0.0/24', hypervisor: 'libvirt' } };
    spec.image = { name: 'hakoc-test-image' };
  });
  const pki = await pkiFor(model);
  const output = renderCluster(model, pki, { pins: { version: 1, sysext: {} } });
  const [clientPort, peerPort, metricsPort] = [
    await freePort(),
    await freePort(),
    await freePort(),
  ];
  const token = `hakoc-test-${randomBytes(6).toString('hex')}`;
  const etcdConfigs = output.manifest.configs.filter((config) => config.role === 'etcd');
  expect(etcdConfigs.map((config) => config.name)).toEqual([
    'demo-etcd-0',
    'demo-etcd-1',
    'demo-etcd-2',
  ]);

  for (const config of etcdConfigs) {
    const ignition = output.files.get(config.ignition) ?? '';
    const at = filesOf(ignition);
    const rendered = parse(readFileSync(at(machinePaths.etcdConfig), 'utf8')) as EtcdConfigFile;
    const dataDir = mkdtempSync(join(tmpdir(), 'hakoc-etcd-data-'));
    chmodSync(dataDir, 0o700);
    scratch.push(dataDir);
    const tls = (security: EtcdConfigFile['client-transport-security']) => ({
      ...security,
      'cert-file': at(security['cert-file']),
      'key-file': at(security['key-file']),
      'trusted-ca-file': at(security['trusted-ca-file']),
    });
    const ports = (urls: string) =>
      withPort(withPort(withPort(urls, 2379, clientPort), 2380, peerPort), 2381, metricsPort);
    const local: EtcdConfigFile = {
      ...rendered,
      'data-dir': dataDir,
      'listen-peer-urls': ports(rendered['listen-peer-urls']),
      'listen-client-urls': ports(rendered['listen-client-urls']).replace(
        /,https:\/\/127\.0\.0\.1:\d+/,
        '',
      ),
      'listen-metrics-urls': ports(rendered['listen-metrics-urls']),
      'advertise-client-urls': ports(rendered['advertise-client-urls']),
      'initial-advertise-peer-urls': ports(rendered['initial-advertise-peer-urls']),
      'initial-cluster': ports(rendered['initial-cluster']),
      'initial-cluster-token': token,
      'client-transport-security': tls(rendered['client-transport-security']),
      'peer-transport-security': tls(rendered['peer-transport-security']),
    };
    const configFile = join(dataDir, '..', `${config.name}-${token}.yaml`);
    writeFileSync(configFile, stringify(local));
    scratch.push(configFile);
    const member: Member = { name: config.name, clientUrl: local['advertise-client-urls'] };
    member.process = spawn(etcd, [`--config-file=${configFile}`], { stdio: 'ignore' });
    members.push(member);
  }

  // The apiserver's etcd client certificate, as the controller config carries it.
  const controller = output.manifest.configs.find((config) => config.role === 'control-plane');
  const at = filesOf(output.files.get(controller?.ignition ?? '') ?? '');
  client = {
    cacert: at(`${machinePaths.kubernetesPki}/etcd/ca.crt`),
    cert: at(`${machinePaths.kubernetesPki}/apiserver-etcd-client.crt`),
    key: at(`${machinePaths.kubernetesPki}/apiserver-etcd-client.key`),
  };
  // The same kind of certificate from another cluster's etcd CA.
  const other = await pkiFor(
    exampleModel('vagrant', (d) => ((d.metadata as { name: string }).name = 'other')),
  );
  const dir = mkdtempSync(join(tmpdir(), 'hakoc-foreign-'));
  scratch.push(dir);
  writeFileSync(join(dir, 'client.crt'), other.apiserverEtcdClient.certificate);
  writeFileSync(join(dir, 'client.key'), other.apiserverEtcdClient.key.reveal(), { mode: 0o600 });
  foreign = { cacert: client.cacert, cert: join(dir, 'client.crt'), key: join(dir, 'client.key') };

  // Bounded: 40 tries half a second apart, well within the hook timeout.
  const all = members.map((member) => member.clientUrl).join(',');
  for (let attempt = 0; attempt < 40; attempt++) {
    const healthy = await ctl(all, client, 'endpoint', 'health')
      .then(() => true)
      .catch(() => false);
    if (healthy) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error('the etcd cluster did not become healthy in 20 s');
}, 45_000);

afterAll(() => {
  for (const member of members) member.process?.kill('SIGKILL');
  for (const path of scratch) rmSync(path, { recursive: true, force: true });
});

/** `attempt()` until it succeeds, at most 10 times half a second apart. */
async function eventually<T>(attempt: () => Promise<T>): Promise<T> {
  for (let tries = 1; ; tries++) {
    try {
      return await attempt();
    } catch (error) {
      if (tries >= 10) throw error;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}

function endpointOf(index: number): string {
  const member = members[index];
  if (member === undefined) throw new Error(`no member ${index}`);
  return member.clientUrl;
}

describe('a real 3-member etcd cluster from the rendered configs', () => {
  it('elects one leader that every member agrees on', async () => {
    const all = members.map((member) => member.clientUrl).join(',');
    const { stdout } = await ctl(all, client, 'endpoint', 'status', '--write-out=json');
    const statuses = JSON.parse(stdout) as {
      Status: { leader: string; header: { member_id: string } };
    }[];
    expect(statuses).toHaveLength(3);
    const leaders = new Set(statuses.map((status) => String(status.Status.leader)));
    expect(leaders.size).toBe(1);
    expect(statuses.map((status) => String(status.Status.header.member_id))).toContain(
      [...leaders][0],
    );
  });

  it('serves a put on one member to a read on another, over TLS with the apiserver client certificate', async () => {
    await ctl(endpointOf(0), client, 'put', '/hakoc/test', 'written-on-member-0');
    const { stdout } = await ctl(endpointOf(1), client, 'get', '/hakoc/test', '--print-value-only');
    expect(stdout.trim()).toBe('written-on-member-0');
  });

  it('refuses a client certificate from a foreign CA', async () => {
    // The same command that succeeds with the cluster's certificate; only the certificate differs.
    await expect(ctl(endpointOf(0), foreign, 'get', '/hakoc/test')).rejects.toThrow();
  });

  it('keeps serving after one member is killed', { timeout: 60_000 }, async () => {
    const victim = members[2];
    victim?.process?.kill('SIGKILL');
    await new Promise<void>((resolve) => {
      if (victim?.process?.exitCode !== null) resolve();
      victim?.process?.once('exit', () => resolve());
    });
    // The killed member may have been the leader: the first requests may wait for an
    // election, as any client's would, so they are retried (bounded: 10 tries each).
    await eventually(() => ctl(endpointOf(0), client, 'put', '/hakoc/after-loss', 'still-serving'));
    const { stdout } = await eventually(() =>
      ctl(endpointOf(1), client, 'get', '/hakoc/after-loss', '--print-value-only'),
    );
    expect(stdout.trim()).toBe('still-serving');
  });
});
