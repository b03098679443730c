/**
 * Preloaded into a measured process with `--import`: when the process exits, writes to the file
 * named by `HAKOC_BENCH_PROBE` its peak RSS and how many modules of `@google-cloud/compute` it
 * had loaded (the client is CommonJS, so every module of it is in the require cache, also when
 * ESM imported it).
 */
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { sep } from 'node:path';

/** What the probe writes. */
export interface ProbeReport {
  readonly maxRssBytes: number;
  readonly computeModules: number;
}

const out = process.env.HAKOC_BENCH_PROBE;
if (out !== undefined && out !== '') {
  const cache = createRequire(import.meta.url).cache;
  const marker = `${sep}@google-cloud${sep}compute${sep}`;
  process.on('exit', () => {
    const report: ProbeReport = {
      maxRssBytes: process.resourceUsage().maxRSS * 1024,
      computeModules: Object.keys(cache).filter((path) => path.includes(marker)).length,
    };
    writeFileSync(out, JSON.stringify(report));
  });
}
