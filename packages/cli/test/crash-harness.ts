import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type GceEmulator, startGceEmulator } from '@hakoc/provider-gce/emulator';

// Real `hakoc` processes (the built command, as users run it) against a GCE emulator that runs
// in the test's own process: killing hakoc never touches the emulator, which goes on holding
// what was created and finishing the operations in flight, as Google's API would.

const root = fileURLToPath(new URL('../../../', import.meta.url));
const bin = join(root, 'packages', 'cli', 'dist', 'bin.js');

/** The passphrase of the test key store; any output containing it is a leak. */
export const CRASH_PASSPHRASE = 'crash-test passphrase, never printed';

/** The example HA cluster, booting a pre-built image so boot configs render offline. */
export function writeExampleSpec(dir: string): string {
  const example = readFileSync(join(root, 'examples', 'gce.yaml'), 'utf8');
  const path = join(dir, 'cluster.yaml');
  // `spec:` is the example's last mapping, so a two-space key appended belongs to it.
  writeFileSync(path, `${example}  image:\n    name: hakoc-flatcar-kubernetes\n`);
  return path;
}

/**
 * Fails when the built command is missing. Like the main job's test, this runs `dist/`, which
 * `npm test` builds from the sources first; after editing sources, build before running it.
 */
export function assertBuilt(): void {
  if (!existsSync(bin)) throw new Error(`${bin} is missing: build first (npm run build)`);
}

/** The emulator a crash test drives, with room in the quotas for the example cluster. */
export function startCrashEmulator(seed: number): Promise<GceEmulator> {
  return startGceEmulator({
    latencyScale: 0.001,
    seed,
    quotas: { region: { IN_USE_ADDRESSES: 64, CPUS: 96 } },
    dnsZones: [{ name: 'example-com', dnsName: 'k8s.example.com.' }],
  });
}

/** One engine event as `--json` prints it on stderr. */
export interface JsonEvent {
  readonly type: string;
  readonly [key: string]: unknown;
}

/** How a hakoc process ended. */
export interface HakocExit {
  /** Exit status, or null when a signal ended it. */
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** The JSON lines of stderr, parsed. */
  readonly events: readonly JsonEvent[];
}

/** A running hakoc process. */
export interface HakocRun {
  readonly child: ChildProcess;
  /** Resolves when the process has exited. */
  readonly exited: Promise<HakocExit>;
  /** Resolves with the first event for which `match` holds (undefined if the process ends first). */
  waitFor(match: (event: JsonEvent, index: number) => boolean): Promise<JsonEvent | undefined>;
}

/** Longest any one hakoc process may run before the test calls it hung. */
const PROCESS_TIMEOUT_MS = 120_000;

/** Starts `hakoc ARGS` in `cwd` against the emulator. */
export function startHakoc(cwd: string, emulator: GceEmulator, args: readonly string[]): HakocRun {
  const child = spawn(process.execPath, [bin, ...args], {
    cwd,
    env: {
      ...process.env,
      CI: '1',
      NO_COLOR: '1',
      HAKOC_PASSPHRASE: CRASH_PASSPHRASE,
      HAKOC_GCE_ENDPOINT: emulator.url,
      HAKOC_GCE_REQUESTS_PER_SECOND: '0',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let pending = '';
  const events: JsonEvent[] = [];
  const waiters: {
    match: (e: JsonEvent, i: number) => boolean;
    resolve: (e?: JsonEvent) => void;
  }[] = [];
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
    pending += chunk;
    for (let end = pending.indexOf('\n'); end >= 0; end = pending.indexOf('\n')) {
      const line = pending.slice(0, end);
      pending = pending.slice(end + 1);
      const event = parseEvent(line);
      if (event === undefined) continue;
      events.push(event);
      for (const waiter of [...waiters]) {
        if (!waiter.match(event, events.length - 1)) continue;
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(event);
      }
    }
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), PROCESS_TIMEOUT_MS);
  const exited = new Promise<HakocExit>((resolve) => {
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      for (const waiter of waiters.splice(0)) waiter.resolve(undefined);
      resolve({ code, signal, stdout, stderr, events });
    });
  });
  return {
    child,
    exited,
    waitFor(match) {
      const index = events.findIndex(match);
      if (index >= 0) return Promise.resolve(events[index]);
      if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(undefined);
      return new Promise((resolve) => waiters.push({ match, resolve }));
    },
  };
}

function parseEvent(line: string): JsonEvent | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === 'object' && value !== null && 'type' in value
      ? (value as JsonEvent)
      : undefined;
  } catch {
    return undefined;
  }
}

/** Runs `hakoc ARGS` to its end. */
export function runHakoc(
  cwd: string,
  emulator: GceEmulator,
  args: readonly string[],
): Promise<HakocExit> {
  return startHakoc(cwd, emulator, args).exited;
}

/** The project of the example cluster. */
const PROJECT_PREFIX = 'projects/my-project/';
const ZONE_PREFIX = 'dns/projects/my-project/managedZones/example-com/';

/**
 * What the emulator holds for the project and the cluster's DNS zone, comparable across runs:
 * operations, DNS change records and the zone's own records left out (they are history, not resources), and the random
 * suffix of a managed group's instances and boot disks replaced by `*`, so two groups of the
 * same size compare equal.
 */
export function inventory(emulator: GceEmulator): string[] {
  return (
    emulator
      .resources()
      .map(({ path }) => path)
      .filter((path) => path.startsWith(PROJECT_PREFIX) || path.startsWith(ZONE_PREFIX))
      .filter((path) => !path.includes('/operations/') && !/\/changes\/\d+$/.test(path))
      // The zone's own SOA and NS records come with the zone, which is the user's.
      .filter((path) => !/\/rrsets\/(SOA|NS):k8s\.example\.com\.$/.test(path))
      .map((path) =>
        path.replace(/\/(instances|disks)\/(demo-(?:controller|worker))-[a-z0-9]{4}$/, '/$1/$2-*'),
      )
      .sort()
  );
}

/** Lets the emulator finish operations and bring managed groups to size, until nothing moves. */
export async function settle(emulator: GceEmulator): Promise<string[]> {
  let previous = inventory(emulator);
  for (let round = 0; round < 200; round++) {
    await new Promise((resolve) => setTimeout(resolve, 10));
    emulator.settle();
    const current = inventory(emulator);
    if (round >= 3 && current.join('\n') === previous.join('\n')) return current;
    previous = current;
  }
  return previous;
}

/** The emulator's path of the cluster lock: a TXT record in the example Cloud DNS zone. */
export const LOCK_PATH =
  'dns/projects/my-project/managedZones/example-com/rrsets/TXT:_hakoc-lock.k8s.example.com.';

/** A small seeded PRNG (mulberry32): the same seed draws the same kill moments. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
