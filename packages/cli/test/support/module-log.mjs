// Records every module the process loads, ES modules and CommonJS alike, and writes their URLs
// (one a line) to the file named by HAKOC_MODULE_LOG when the process exits. Registered with
// `node --import ./module-log.mjs`: tests read what a command loaded, not how long it took.
import { writeFileSync } from 'node:fs';
import { createRequire, registerHooks } from 'node:module';

const loaded = new Set();
registerHooks({
  load(url, context, nextLoad) {
    loaded.add(url);
    return nextLoad(url, context);
  },
});

const require = createRequire(import.meta.url);
process.on('exit', () => {
  for (const path of Object.keys(require.cache)) loaded.add(path);
  writeFileSync(process.env.HAKOC_MODULE_LOG, [...loaded].join('\n'));
});
