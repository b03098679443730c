import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type { KeyAlgorithm, PkiRequest } from '@hakoc/certs';

/** A passphrase for test stores. */
export const passphrase = 'correct horse battery staple';

/** A 3-member, 3-controller request, as core would derive it. */
export function sampleRequest(overrides: Partial<PkiRequest> = {}): PkiRequest {
  return {
    clusterName: 'demo',
    domain: 'example.com',
    clusterDomain: 'cluster.local',
    apiServiceIp: '10.3.0.1',
    apiEndpoint: 'api.example.com',
    loadBalancerAddress: '203.0.113.10',
    etcdMembers: [0, 1, 2].map((i) => ({
      name: `etcd-${i}`,
      dnsName: `etcd-${i}.example.com`,
      ips: [`10.0.0.${10 + i}`],
    })),
    controlPlane: [0, 1, 2].map((i) => ({ name: `controller-${i}`, ips: [`10.0.0.${20 + i}`] })),
    keyAlgorithm: 'ecdsa-p256' satisfies KeyAlgorithm,
    validity: { caDays: 3650, leafDays: 365, etcdDays: 365 },
    ...overrides,
  };
}

/** A fresh temporary folder; remove it with {@link removeTempDir}. */
export function makeTempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'hakoc-certs-'));
}

export function removeTempDir(dir: string): Promise<void> {
  return rm(dir, { recursive: true, force: true });
}

/** Outcome of a command: its exit code and output. */
export interface CommandResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command without a shell; never throws for a non-zero exit, only when it cannot start. */
export function run(command: string, args: readonly string[]): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { encoding: 'utf8' }, (error, stdout, stderr) => {
      if (error !== null && typeof error.code !== 'number') {
        reject(new Error(`cannot run ${command}: ${error.message}`));
        return;
      }
      resolve({ code: error === null ? 0 : Number(error.code), stdout, stderr });
    });
  });
}

/** Fails (never skips) when openssl is not installed: these tests are about the real tool. */
export async function requireOpenssl(): Promise<void> {
  const result = await run('openssl', ['version']).catch((error: unknown) => {
    throw new Error(`openssl is required for these tests: ${String(error)}`);
  });
  if (result.code !== 0) throw new Error('openssl is required for these tests');
}

/** Every file in a folder tree with its bytes, mode and identity, to prove nothing changed. */
export async function snapshotDir(dir: string): Promise<Map<string, string>> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const snapshot = new Map<string, string>();
  for (const entry of entries) {
    const path = join(entry.parentPath, entry.name);
    const info = await stat(path);
    const content = entry.isFile() ? (await readFile(path)).toString('base64') : 'dir';
    snapshot.set(relative(dir, path), `${info.mode}:${info.ino}:${info.mtimeMs}:${content}`);
  }
  return snapshot;
}

/** Runs async jobs with at most `limit` at a time. */
export async function inBatches<T>(
  jobs: readonly (() => Promise<T>)[],
  limit: number,
): Promise<T[]> {
  const results: T[] = [];
  for (let i = 0; i < jobs.length; i += limit) {
    results.push(...(await Promise.all(jobs.slice(i, i + limit).map((job) => job()))));
  }
  return results;
}
