import { pbkdf2, randomBytes, scrypt } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import {
  createClusterPki,
  type KeyAlgorithm,
  loadOrCreatePki,
  type PkiRequest,
} from '@hakoc/certs';
import { loadAverage } from '../lib/machine.ts';
import { table, verdict } from '../lib/markdown.ts';
import type { BenchSection, SectionResult } from '../lib/section.ts';
import { median, ms, range, repeat } from '../lib/stats.ts';

const PASSPHRASE = 'benchmark passphrase';
const P256_TARGET_MS = 100;
const RSA_STALL_TARGET_MS = 20;

/** A 3-etcd / 3-control-plane cluster's PKI request. */
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
  const elapsed = performance.now() - start;
  delay.disable();
  return { ms: elapsed, stallMs: delay.max / 1e6 };
}

const samples = (runs: number, task: () => Promise<unknown>) => repeat(runs, () => measure(task));

const derivePbkdf2 = () =>
  new Promise<Buffer>((resolve, reject) =>
    pbkdf2(PASSPHRASE, randomBytes(16), 600_000, 32, 'sha256', (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );
const deriveScrypt = () =>
  new Promise<Buffer>((resolve, reject) =>
    scrypt(
      PASSPHRASE,
      randomBytes(16),
      32,
      { N: 2 ** 15, r: 8, p: 3, maxmem: 256 * 1024 * 1024 },
      (error, key) => (error ? reject(error) : resolve(key)),
    ),
  );

function row(label: string, taken: readonly Sample[]): string[] {
  const times = taken.map((s) => s.ms);
  const stalls = taken.map((s) => s.stallMs);
  const { min, max } = range(times);
  return [
    label,
    String(taken.length),
    ms(median(times)),
    ms(min),
    ms(max),
    ms(median(stalls)),
    ms(range(stalls).max),
  ];
}

/** The cluster PKI and the key store: time, and the longest event-loop stall while they run. */
export const pkiSection: BenchSection = {
  id: 'pki',
  async run(ctx): Promise<SectionResult> {
    const loadBefore = loadAverage();
    const n = (full: number, quick: number) => (ctx.quick ? quick : full);
    // Warm up: module loading and JIT are not part of what is measured.
    await createClusterPki(request('ecdsa-p256'));
    ctx.log('pki: idle baseline, P-256, RSA-2048');
    // The same monitor over an idle second: what the machine itself adds (other processes on a
    // shared box delay the timer too), to read the stall figures against.
    const idle = await samples(n(3, 1), () => new Promise((resolve) => setTimeout(resolve, 1000)));
    const p256 = await samples(n(20, 3), () => createClusterPki(request('ecdsa-p256')));
    const rsa = await samples(n(5, 1), () => createClusterPki(request('rsa-2048')));
    ctx.log('pki: key store and passphrase derivations');
    const root = await mkdtemp(join(tmpdir(), 'hakoc-bench-'));
    let store = 0;
    let storeFirst: Sample[];
    let storeAgain: Sample[];
    try {
      storeFirst = await samples(n(5, 1), () =>
        loadOrCreatePki(join(root, `store-${store++}`), request('ecdsa-p256'), {
          passphrase: PASSPHRASE,
        }),
      );
      storeAgain = await samples(n(5, 1), () =>
        loadOrCreatePki(join(root, 'store-0'), request('ecdsa-p256'), { passphrase: PASSPHRASE }),
      );
    } finally {
      await rm(root, { recursive: true, force: true });
    }
    const pbkdf2Once = await samples(n(5, 1), derivePbkdf2);
    const pbkdf2PerFile = await samples(n(3, 1), () =>
      Promise.all(Array.from({ length: 19 }, derivePbkdf2)),
    );
    const scryptOnce = await samples(n(5, 1), deriveScrypt);

    const p256Median = median(p256.map((s) => s.ms));
    const rsaMedian = median(rsa.map((s) => s.ms));
    // The median over runs of each run's longest stall: one run's worst can be another
    // process holding the core, which the idle row shows the size of.
    const rsaStall = median(rsa.map((s) => s.stallMs));
    const markdown = [
      '## PKI',
      '',
      '`bench/sections/pki.ts`: the whole PKI of a 3-etcd / 3-control-plane cluster — 3 CAs, 15 leaves, the service-account key pair, 19 keys — in memory with `createClusterPki`, then through the encrypted key store with `loadOrCreatePki`, then the passphrase derivations the store pays for. The event-loop stall is the largest delay `perf_hooks.monitorEventLoopDelay` (1 ms resolution) saw during one run; the idle row is the same monitor over an idle second, which is what the machine alone adds (on a busy machine the stall columns count time the OS gave the core to other processes: read them against that row).',
      '',
      `Load average before: ${loadBefore}; after: ${loadAverage()}.`,
      '',
      table(
        [
          'PKI, 3 etcd + 3 control plane (18 certificates, 19 keys)',
          'runs',
          'median ms',
          'min ms',
          'max ms',
          'longest loop stall ms, median run',
          'longest loop stall ms, worst run',
        ],
        [
          row('baseline: idle 1 s, nothing running', idle),
          row('`createClusterPki`, ECDSA P-256 (in memory)', p256),
          row('`createClusterPki`, RSA-2048 (in memory)', rsa),
          row('`loadOrCreatePki`, P-256, first run (create, encrypt, fsync)', storeFirst),
          row('`loadOrCreatePki`, P-256, later run (load, decrypt, check)', storeAgain),
          row('PBKDF2-HMAC-SHA256 × 600,000, one derivation (one salt per store)', pbkdf2Once),
          row('the same × 19 at once (per-file salts: one per key file)', pbkdf2PerFile),
          row('scrypt N=2^15 r=8 p=3, one derivation (the sealed token)', scryptOnce),
        ],
      ),
      '',
      `RSA-2048 ÷ P-256, same run: ${(rsaMedian / p256Median).toFixed(1)}×. Against the targets: P-256 PKI median ${ms(p256Median)} ms (under ${P256_TARGET_MS} ms) — ${verdict(p256Median < P256_TARGET_MS)}; longest stall while making an RSA-2048 PKI ${ms(rsaStall)} ms (median run) (under ${RSA_STALL_TARGET_MS} ms) — ${verdict(rsaStall < RSA_STALL_TARGET_MS)}.`,
      '',
      'Why the key store costs what it does: a later run starts with the scrypt of the sealed token (the passphrase check; AES-GCM answers wrong or right cleanly, which a CBC key file cannot), and pays PBKDF2 once, because every key file of a store carries the same random salt (each has its own IV); per-file salts would cost the "× 19" row for no gain against an attacker (one passphrase opens every file of a store either way; `packages/certs/src/passphrase-keys.ts` says why). Both run on libuv\'s thread pool, off the event loop. Certificates are built one per loop turn, with at most `cores − 1` key generations at once, so the main thread keeps a core.',
    ].join('\n');
    return {
      markdown,
      targets: [
        {
          what: 'P-256 cluster PKI, median',
          target: `< ${P256_TARGET_MS} ms`,
          measured: `${ms(p256Median)} ms`,
          met: p256Median < P256_TARGET_MS,
        },
        {
          what: 'longest event-loop stall while making an RSA-2048 PKI (median run)',
          target: `< ${RSA_STALL_TARGET_MS} ms`,
          measured: `${ms(rsaStall)} ms`,
          met: rsaStall < RSA_STALL_TARGET_MS,
        },
      ],
    };
  },
};
