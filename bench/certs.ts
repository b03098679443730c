/**
 * PKI benchmark: time to create a 3-etcd / 3-control-plane cluster PKI with ECDSA P-256 and
 * RSA-2048, and the longest event-loop stall while it runs. Also the key store's first run
 * (create + encrypt + atomic writes) and a later run (load + check, nothing written), and the
 * passphrase derivations they pay for: PBKDF2 at 600,000 iterations once (one salt per store)
 * against 19 at once (what per-file salts would cost), and the scrypt of the sealed token.
 *
 * Run after building the package:
 *   pnpm --filter @hakoc/certs run build && node bench/certs.ts
 * Paste the table into docs/benchmarks.md (## PKI).
 */
import { pbkdf2, randomBytes, scrypt } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import {
  createClusterPki,
  type KeyAlgorithm,
  loadOrCreatePki,
  type PkiRequest,
} from '@hakoc/certs';

const passphrase = 'benchmark passphrase';

function request(keyAlgorithm: KeyAlgorithm): PkiRequest {
  return {
    clusterName: 'bench',
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
    keyAlgorithm,
    validity: { caDays: 3650, leafDays: 365, etcdDays: 365 },
  };
}

interface Sample {
  readonly ms: number;
  readonly stallMs: number;
}

/** Runs `task` once while sampling event-loop delay every millisecond. */
async function measure(task: () => Promise<unknown>): Promise<Sample> {
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  const start = performance.now();
  await task();
  const ms = performance.now() - start;
  delay.disable();
  return { ms, stallMs: delay.max / 1e6 };
}

async function repeat(runs: number, task: () => Promise<unknown>): Promise<Sample[]> {
  const samples: Sample[] = [];
  for (let i = 0; i < runs; i += 1) samples.push(await measure(task));
  return samples;
}

const derivePbkdf2 = () =>
  new Promise<Buffer>((resolve, reject) =>
    pbkdf2(passphrase, randomBytes(16), 600_000, 32, 'sha256', (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );
const deriveScrypt = () =>
  new Promise<Buffer>((resolve, reject) =>
    scrypt(
      passphrase,
      randomBytes(16),
      32,
      { N: 2 ** 17, r: 8, p: 1, maxmem: 256 * 1024 * 1024 },
      (error, key) => (error ? reject(error) : resolve(key)),
    ),
  );

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};
const fmt = (value: number): string => value.toFixed(1);

function row(label: string, samples: Sample[]): string {
  const times = samples.map((sample) => sample.ms);
  const stalls = samples.map((sample) => sample.stallMs);
  return `| ${label} | ${samples.length} | ${fmt(median(times))} | ${fmt(Math.min(...times))} | ${fmt(Math.max(...times))} | ${fmt(median(stalls))} | ${fmt(Math.max(...stalls))} |`;
}

async function main(): Promise<void> {
  // Warm up: module loading and JIT are not part of what we measure.
  await createClusterPki(request('ecdsa-p256'));

  // The same monitor over an idle second: what the machine itself adds (other processes on a
  // shared box delay the timer too), to read the stall figures against.
  const idle = await repeat(3, () => new Promise((resolve) => setTimeout(resolve, 1000)));
  const p256 = await repeat(20, () => createClusterPki(request('ecdsa-p256')));
  const rsa = await repeat(5, () => createClusterPki(request('rsa-2048')));

  const pbkdf2Once = await repeat(5, derivePbkdf2);
  const pbkdf2PerFile = await repeat(3, () =>
    Promise.all(Array.from({ length: 19 }, derivePbkdf2)),
  );
  const scryptOnce = await repeat(5, deriveScrypt);

  const root = await mkdtemp(join(tmpdir(), 'hakoc-bench-'));
  try {
    let n = 0;
    const storeFirst = await repeat(5, () =>
      loadOrCreatePki(join(root, `store-${n++}`), request('ecdsa-p256'), { passphrase }),
    );
    const storeAgain = await repeat(5, () =>
      loadOrCreatePki(join(root, 'store-0'), request('ecdsa-p256'), { passphrase }),
    );
    const cpu = cpus();
    const load = loadavg()
      .map((value) => value.toFixed(2))
      .join(' ');
    console.log(
      `Load average during the run: ${load}\nMachine: ${cpu.length} CPUs (nproc), ${cpu[0]?.model ?? 'unknown CPU'}, Node ${process.version}, ${process.platform}/${process.arch}\n`,
    );
    console.log(
      '| PKI, 3 etcd + 3 control plane (18 certificates, 19 keys) | runs | median ms | min ms | max ms | longest loop stall ms, median run | longest loop stall ms, worst run |',
    );
    console.log('|---|---:|---:|---:|---:|---:|---:|');
    console.log(row('baseline: idle 1 s, nothing running', idle));
    console.log(row('createClusterPki, ECDSA P-256 (in memory)', p256));
    console.log(row('createClusterPki, RSA-2048 (in memory)', rsa));
    console.log(row('loadOrCreatePki, P-256, first run (create, encrypt, fsync)', storeFirst));
    console.log(row('loadOrCreatePki, P-256, later run (load, decrypt, check)', storeAgain));
    console.log(
      row('PBKDF2-HMAC-SHA256 × 600,000, one derivation (one salt per store)', pbkdf2Once),
    );
    console.log(row('the same × 19 at once (per-file salts: one per key file)', pbkdf2PerFile));
    console.log(row('scrypt N=2^17 r=8 p=1, one derivation (the sealed token)', scryptOnce));
    const rsaRatio = median(rsa.map((s) => s.ms)) / median(p256.map((s) => s.ms));
    console.log(`\nRSA-2048 / P-256 time ratio (same run): ${rsaRatio.toFixed(1)}×`);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

await main();
