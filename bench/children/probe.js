/**
 * Preloaded into a measured process with `--import`: when the process exits, writes to the file
 * named by `HAKOC_BENCH_PROBE` its peak RSS and how many modules of `@google-cloud/compute` it
 * had loaded (the client is CommonJS, so every module of it is in the require cache, also when
 * ESM imported it), as a `ProbeReport` (`bench/lib/probe-run.ts`).
 *
 * Plain JavaScript on purpose: a TypeScript file would make Node load its type stripper (about
 * 18 MB of RSS) into every process measured, which the built CLI never loads.
 */
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { sep } from 'node:path';

const out = process.env.HAKOC_BENCH_PROBE;
if (out !== undefined && out !== '') {
  const cache = createRequire(import.meta.url).cache;
  const marker = `${sep}@google-cloud${sep}compute${sep}`;
  process.on('exit', () => {
    const report = {
      maxRssBytes: process.resourceUsage().maxRSS * 1024,
      computeModules: Object.keys(cache).filter((path) => path.includes(marker)).length,
    };
    writeFileSync(out, JSON.stringify(report));
  });
}
