import { readFileSync } from 'node:fs';
import { createRequire, Module } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * Makes every later `require()` of the JSON file `specifier` (resolved from this package)
 * return `trim(parsed file)` instead of the whole file, by putting that module in the require
 * cache, as Node's documentation allows ("adding or replacing entries is also possible").
 *
 * The compute clients `require` the API's `protos.json` (12 MB) at load and keep it for the
 * life of the process: their modules hold it to build proto roots from. Parsed whole it is
 * about 8 MB of heap nobody reads; trimmed first, only the trimmed part stays. When something
 * has already required the file, its cached content is left as it is (others may hold it).
 *
 * @returns the content later requires get: `trim`'s result, or what was cached before.
 */
export function cacheTrimmedJsonModule<T>(specifier: string, trim: (json: unknown) => T): T {
  const file = require.resolve(specifier);
  const cached = require.cache[file];
  if (cached !== undefined) return cached.exports as T;
  const module = new Module(file);
  module.filename = file;
  module.exports = trim(JSON.parse(readFileSync(file, 'utf8')));
  module.loaded = true;
  require.cache[file] = module;
  return module.exports as T;
}
