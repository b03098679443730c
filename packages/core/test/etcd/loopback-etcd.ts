// Real etcd members (Debian's etcd and etcdctl) on loopback, from the rendered boot configs:
// the real Ignition writes each member's files into a scratch root, and the member runs the
// rendered scripts (join, snapshot, etcdctl-member) and starts from the config the join
// script wrote. The cluster is the Vagrant example on a loopback "private network"
// (127.0.0.0/24), so members have 127.0.0.10+ from the model and their certificates name those
// addresses. A test rewrites only what it must: ports (free ones), data dirs and the effective
// config path (temporary), certificate paths (inside the scratch root), the cluster token
// (unique per run, as etcd requires), and drops the 127.0.0.1 client listener (members on one
// host would all claim it); the member's own address serves its local client calls instead.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import {
  type ClusterModel,
  callEtcdGateway,
  ETCD_JOIN_SCRIPT,
  type ETCD_LEAVE_SCRIPT,
  ETCD_MEMBER_ENV,
  type ETCD_SNAPSHOT_SCRIPT,
  type EtcdClientTls,
  type EtcdConfigFile,
  type EtcdMemberEnvironment,
  etcdMemberEnvFile,
  machinePaths,
  renderCluster,
} from '@hakoc/core';
import { parse, stringify } from 'yaml';
import { exampleModel, pkiFor } from '../render/fixtures.js';
import { applyIgnition, requireTool } from '../support/real-tools.js';

const run = promisify(execFile);
const etcd = requireTool('etcd');
const etcdctl = requireTool('etcdctl');
// The directory of the stand-in systemctl of the cluster rendered last.
let stubDir = '';

/** One member: its rendered files in a scratch root and its process while it runs. */
export interface LoopbackMember {
  readonly name: string;
  readonly clientUrl: string;
  readonly peerUrl: string;
  readonly dataDir: string;
  readonly snapshotDir: string;
  /** The rewritten member.env the scripts read. */
  readonly envFile: string;
  /** The config etcd starts with, as the join script wrote it. */
  readonly effectiveConfig: string;
  readonly root: string;
  process?: ChildProcess;
}

/** A rendered cluster of `count` members, none started. */
export interface LoopbackCluster {
  readonly model: ClusterModel;
  readonly members: LoopbackMember[];
  /** The apiserver's etcd client certificate and the etcd CA, as the operator has them. */
  readonly clientTls: EtcdClientTls;
  /** The cluster token this run uses (the rendered one is per cluster name). */
  readonly token: string;
  /** Rewrites the rendered ports in URLs to this run's. */
  readonly ports: (urls: string) => string;
  readonly etcdctl: string;
  /** Every `systemctl` call the members' scripts made, as `systemctl ARGS` lines. */
  systemctlCalls(): string[];
  /** Kills every member and removes every scratch file. */
  dispose(): void;
}

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

function modelWith(count: number, snapshotRetain?: number): ClusterModel {
  return exampleModel('vagrant', (document) => {
    const spec = document.spec as Record<string, unknown>;
    spec.provider = { vagrant: { network: '127.0.0.0/24', hypervisor: 'libvirt' } };
    spec.image = { name: 'hakoc-test-image' };
    spec.etcd = {
      count,
      ...(snapshotRetain === undefined ? {} : { snapshots: { retain: snapshotRetain } }),
    };
  });
}

/** Renders the example with `count` members (the first three bootstrap it, the others join). */
export async function renderLoopbackCluster(options: {
  count: number;
  joinWindowSeconds: number;
  snapshotRetain?: number;
  leaveAttempts?: number;
}): Promise<LoopbackCluster> {
  const model = modelWith(options.count, options.snapshotRetain);
  const pki = await pkiFor(model);
  const output = renderCluster(model, pki, { pins: { version: 1, sysext: {} } });
  const [client, peer, metrics] = [await freePort(), await freePort(), await freePort()];
  const ports = (urls: string) =>
    urls
      .replaceAll(':2379', `:${client}`)
      .replaceAll(':2380', `:${peer}`)
      .replaceAll(':2381', `:${metrics}`);
  const token = `hakoc-test-${randomBytes(6).toString('hex')}`;
  const scratch: string[] = [];
  const members: LoopbackMember[] = [];

  for (const config of output.manifest.configs.filter((c) => c.role === 'etcd')) {
    const { root } = applyIgnition(output.files.get(config.ignition) ?? '');
    scratch.push(dirname(root));
    const at = (path: string) => join(root, path);
    const rendered = parse(readFileSync(at(machinePaths.etcdConfig), 'utf8')) as EtcdConfigFile;
    const env = parseEnv(readFileSync(at(ETCD_MEMBER_ENV), 'utf8'));
    const work = mkdtempSync(join(tmpdir(), `hakoc-etcd-${config.name}-`));
    scratch.push(work);
    const dataDir = join(work, 'data');
    mkdirSync(dataDir, { mode: 0o700 });
    chmodSync(dataDir, 0o700);
    const tls = (security: EtcdConfigFile['client-transport-security']) => ({
      ...security,
      'cert-file': at(security['cert-file']),
      'key-file': at(security['key-file']),
      'trusted-ca-file': at(security['trusted-ca-file']),
    });
    const clientUrl = ports(rendered['advertise-client-urls']);
    const base: EtcdConfigFile = {
      ...rendered,
      'data-dir': dataDir,
      'listen-peer-urls': ports(rendered['listen-peer-urls']),
      'listen-client-urls': clientUrl,
      'listen-metrics-urls': ports(rendered['listen-metrics-urls']),
      'advertise-client-urls': clientUrl,
      'initial-advertise-peer-urls': ports(rendered['initial-advertise-peer-urls']),
      'initial-cluster': ports(rendered['initial-cluster']),
      'initial-cluster-token': token,
      'client-transport-security': tls(rendered['client-transport-security']),
      'peer-transport-security': tls(rendered['peer-transport-security']),
    };
    const baseFile = join(work, 'etcd.yaml');
    writeFileSync(baseFile, stringify(base));

    const local: EtcdMemberEnvironment = {
      ...env,
      ETCD_PEER_URL: ports(env.ETCD_PEER_URL),
      ETCD_PEER_CLIENT_URLS: ports(env.ETCD_PEER_CLIENT_URLS),
      ETCD_LOCAL_CLIENT_URL: clientUrl,
      ETCD_DATA_DIR: dataDir,
      ETCD_CONFIG: baseFile,
      ETCD_EFFECTIVE_CONFIG: join(work, 'run', 'etcd.yaml'),
      ETCD_CERT: at(env.ETCD_CERT),
      ETCD_KEY: at(env.ETCD_KEY),
      ETCD_CA: at(env.ETCD_CA),
      ETCD_JOIN_WINDOW_SECONDS: String(options.joinWindowSeconds),
      ...(options.leaveAttempts === undefined
        ? {}
        : { ETCD_LEAVE_ATTEMPTS: String(options.leaveAttempts) }),
      ETCD_SNAPSHOT_DIR: join(dataDir, 'snapshots'),
      // Debian's etcdctl stands in for the image's.
      ETCDCTL: etcdctl,
      ETCD_IMAGE: '',
    };
    const envFile = join(work, 'member.env');
    writeFileSync(envFile, etcdMemberEnvFile(local));
    members.push({
      name: config.name,
      clientUrl,
      peerUrl: local.ETCD_PEER_URL,
      dataDir,
      snapshotDir: local.ETCD_SNAPSHOT_DIR,
      envFile,
      effectiveConfig: local.ETCD_EFFECTIVE_CONFIG,
      root,
    });
  }

  // systemd stands in: a script's `systemctl disable --now etcd-member.service` stops the
  // member's etcd process (named by the caller's environment) and waits until it is gone.
  const stubs = mkdtempSync(join(tmpdir(), 'hakoc-etcd-systemctl-'));
  scratch.push(stubs);
  const systemctlLog = join(stubs, 'calls.log');
  writeFileSync(systemctlLog, '');
  writeFileSync(
    join(stubs, 'systemctl'),
    `#!/bin/bash
echo "systemctl $*" >>${JSON.stringify(systemctlLog)}
if [[ " $* " == *" etcd-member.service "* && ( $1 == stop || " $* " == *" --now "* ) ]]; then
  pid=\${HAKOC_TEST_ETCD_PID:-}
  [[ -n $pid ]] && kill -TERM "$pid" 2>/dev/null || exit 0
  for ((i = 0; i < 100; i++)); do kill -0 "$pid" 2>/dev/null || exit 0; sleep 0.1; done
  exit 1
fi
`,
    { mode: 0o755 },
  );
  stubDir = stubs;

  const clientTls: EtcdClientTls = {
    ca: pki.etcdCa.certificate,
    certificate: pki.apiserverEtcdClient.certificate,
    key: pki.apiserverEtcdClient.key.reveal(),
  };
  return {
    model,
    members,
    clientTls,
    token,
    ports,
    etcdctl,
    systemctlCalls: () => readFileSync(systemctlLog, 'utf8').split('\n').filter(Boolean),
    dispose() {
      for (const member of members) member.process?.kill('SIGKILL');
      for (const path of scratch) rmSync(path, { recursive: true, force: true });
    },
  };
}

function parseEnv(text: string): EtcdMemberEnvironment {
  const entries = text
    .split('\n')
    .filter((line) => line.includes('='))
    .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]);
  return Object.fromEntries(entries) as unknown as EtcdMemberEnvironment;
}

/**
 * Runs one of the member's rendered scripts (from the scratch root) with its environment and
 * the stand-in systemctl, which stops this member's etcd.
 */
export async function runMemberScript(
  member: LoopbackMember,
  script: typeof ETCD_JOIN_SCRIPT | typeof ETCD_SNAPSHOT_SCRIPT | typeof ETCD_LEAVE_SCRIPT,
  args: readonly string[] = [],
  timeoutMs = 60_000,
  signal?: AbortSignal,
): Promise<string> {
  const { stdout, stderr } = await run('bash', [join(member.root, script), ...args], {
    env: {
      ...process.env,
      ETCD_MEMBER_ENV: member.envFile,
      PATH: `${stubDir}:${process.env.PATH ?? ''}`,
      HAKOC_TEST_ETCD_PID: String(member.process?.pid ?? ''),
    },
    timeout: timeoutMs,
    ...(signal === undefined ? {} : { signal }),
  });
  return `${stdout}${stderr}`;
}

/** The member's join script, then etcd from the config the script wrote. */
export async function joinAndStart(member: LoopbackMember): Promise<string> {
  const log = await runMemberScript(member, ETCD_JOIN_SCRIPT);
  member.process = spawn(etcd, [`--config-file=${member.effectiveConfig}`], { stdio: 'ignore' });
  return log;
}

/**
 * Stops a member and waits until it has exited: SIGKILL as a crash does, or SIGTERM as
 * systemd stopping the unit (a machine shut down to be re-created) does, upon which etcd hands
 * its leadership to another member first.
 */
export async function kill(
  member: LoopbackMember,
  signal: 'SIGKILL' | 'SIGTERM' = 'SIGKILL',
): Promise<void> {
  const child = member.process;
  if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill(signal);
  await exited;
}

/** Waits (bounded: `tries` × 250 ms) until `check` resolves. */
export async function eventually<T>(check: () => Promise<T>, tries = 80): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await check();
    } catch (error) {
      if (attempt >= tries) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

/** A linearizable read through one member (it needs a quorum), with the operator's certificate. */
export async function health(cluster: LoopbackCluster, member: LoopbackMember): Promise<void> {
  await callEtcdGateway(
    { endpoint: member.clientUrl, tls: cluster.clientTls, timeoutMs: 3000 },
    '/v3/kv/range',
    {
      key: Buffer.from('health').toString('base64'),
    },
  );
}

/** The leader's member ID (decimal), as the member at `endpoint` sees it. */
export async function leaderId(cluster: LoopbackCluster, member: LoopbackMember): Promise<string> {
  const status = await callEtcdGateway<{ leader?: string }>(
    { endpoint: member.clientUrl, tls: cluster.clientTls },
    '/v3/maintenance/status',
    {},
  );
  return status.leader ?? '0';
}
