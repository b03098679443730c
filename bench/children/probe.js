/**
 * Preloaded into a measured process with `--import`: when the process exits, writes to the file
 * named by `HAKOC_BENCH_PROBE` a `ProbeReport` (`bench/lib/probe-run.ts`): its peak RSS, how
 * many modules of `@google-cloud/compute` it had loaded (the client is CommonJS, so every
 * module of it is in the require cache, also when ESM imported it), and the highest RSS sampled
 * while no scrypt derivation was running, so a report can tell the key store's passphrase
 * check (scrypt's work buffer, 32 MiB, held only while it runs) from the rest of the work.
 *
 * Plain JavaScript on purpose: a TypeScript file would make Node load its type stripper (about
 * 18 MB of RSS) into every process measured, which the built CLI never loads.
 */
import crypto from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { createRequire, syncBuiltinESMExports } from 'node:module';
import { sep } from 'node:path';

const SAMPLE_MS = 5;

const out = process.env.HAKOC_BENCH_PROBE;
if (out !== undefined && out !== '') {
  const cache = createRequire(import.meta.url).cache;
  const marker = `${sep}@google-cloud${sep}compute${sep}`;
  let running = 0;
  let maxRssOutsideScrypt = 0;
  const sample = () => {
    if (running === 0)
      maxRssOutsideScrypt = Math.max(maxRssOutsideScrypt, process.memoryUsage.rss());
  };
  // Counts scrypt derivations in flight; the process's own imports see the wrapped function,
  // since this module runs before any of them is linked.
  const scrypt = crypto.scrypt;
  crypto.scrypt = (...args) => {
    const done = args.pop();
    sample();
    running++;
    return scrypt(...args, (...results) => {
      running--;
      done(...results);
    });
  };
  syncBuiltinESMExports();
  setInterval(sample, SAMPLE_MS).unref();
  process.on('exit', () => {
    sample();
    const report = {
      maxRssBytes: process.resourceUsage().maxRSS * 1024,
      maxRssOutsideScryptBytes: maxRssOutsideScrypt,
      computeModules: Object.keys(cache).filter((path) => path.includes(marker)).length,
    };
    writeFileSync(out, JSON.stringify(report));
  });
}
