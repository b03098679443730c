// The main job on the embedded default, as `npm start` runs it (through bootstrap.mjs, which has
// already made Node, dependencies and builds ready): the example HA cluster spec is validated and
// its cluster model printed, through the built `hakoc` command exactly as a user would run it.
// Arguments after `npm start --` replace the default ones.

import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const hakoc = join(root, 'packages', 'cli', 'dist', 'bin.js');
const userArgs = process.argv.slice(2);
const args = userArgs.length > 0 ? userArgs : ['validate', 'examples/gce.yaml', '--model'];

const started = performance.now();
const result = spawnSync(process.execPath, [hakoc, ...args], { cwd: root, stdio: 'inherit' });
const seconds = ((performance.now() - started) / 1000).toFixed(2);
process.stderr.write(`\nhakoc ${args.join(' ')}: exit ${result.status} in ${seconds} s\n`);
process.exit(result.status ?? 1);
