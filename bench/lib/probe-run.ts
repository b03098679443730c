import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ChildOptions, runNode } from './node-child.ts';

const PROBE = fileURLToPath(new URL('../children/probe.js', import.meta.url));

/** What the probe (`bench/children/probe.js`) writes. */
export interface ProbeReport {
  readonly maxRssBytes: number;
  /** The highest RSS sampled (every 5 ms, and at exit) while no scrypt derivation ran. */
  readonly maxRssOutsideScryptBytes: number;
  readonly computeModules: number;
}

/** A process's run, with what the probe saw at its exit. */
export interface ProbedRun {
  readonly wallMs: number;
  readonly probe: ProbeReport;
}

/** Runs Node with `args` and the probe preloaded; resolves to the probe's report. */
export async function runProbed(
  args: readonly string[],
  options: ChildOptions = {},
): Promise<ProbedRun> {
  const dir = await mkdtemp(join(tmpdir(), 'hakoc-probe-'));
  const file = join(dir, 'probe.json');
  try {
    const { wallMs } = await runNode(args, {
      ...options,
      nodeArgs: [...(options.nodeArgs ?? []), '--import', PROBE],
      env: { ...options.env, HAKOC_BENCH_PROBE: file },
    });
    return { wallMs, probe: JSON.parse(await readFile(file, 'utf8')) as ProbeReport };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
