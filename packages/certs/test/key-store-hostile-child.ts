// Run by key-store-hostile.test.ts as a child process, so the test can kill it with SIGKILL at
// any moment of a key-store write: `node key-store-hostile-child.ts DIR first|grown`.
import { loadOrCreatePki } from '@hakoc/certs';
import { passphrase } from './fixtures.js';
import { writerRequest } from './key-store-hostile-requests.js';

const [dir, mode] = process.argv.slice(2);
if (dir === undefined || (mode !== 'first' && mode !== 'grown')) {
  process.stderr.write('usage: key-store-hostile-child.ts DIR first|grown\n');
  process.exit(2);
}
process.stdout.write('ready\n');
await loadOrCreatePki(dir, writerRequest(mode), { passphrase });
process.stdout.write('done\n');
