// The main job on the embedded default, as `npm start` runs it (through bootstrap.mjs, which has
// already made Node, dependencies and builds ready). It drives the built `hakoc` command exactly
// as a user would, on the example HA cluster (examples/gce.yaml: 3 etcd members, 3 controllers,
// 2–10 autoscaled workers over three zones) against the built-in GCE emulator:
//   validate → certs init (encrypted key store) → apply (plan + apply) → kubeconfig
// Everything lands in hakoc-out/ (git-ignored; HAKOC_OUT names another folder); the emulator
// keeps its world there too, so a second run finds the first run's cluster and changes nothing.
// Arguments after `npm start --` run that hakoc command instead.

import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const hakoc = join(root, 'packages', 'cli', 'dist', 'bin.js');
const spec = 'examples/gce.yaml';
const out = process.env.HAKOC_OUT ?? 'hakoc-out';

function hakocRun(args, env = process.env) {
  process.stderr.write(`\n$ hakoc ${args.join(' ')}\n`);
  const result = spawnSync(process.execPath, [hakoc, ...args], {
    cwd: root,
    stdio: 'inherit',
    env,
  });
  return result.status ?? 1;
}

const userArgs = process.argv.slice(2);
if (userArgs.length > 0) process.exit(hakocRun(userArgs));

const env = { ...process.env };
if (!env.HAKOC_PASSPHRASE) {
  // A fixed passphrase only for this demo's key store; real clusters take the user's own.
  env.HAKOC_PASSPHRASE = 'hakoc-demo-passphrase';
  process.stderr.write('HAKOC_PASSPHRASE is not set: the demo key store uses a demo passphrase\n');
}

const started = performance.now();
const steps = [
  ['validate', spec],
  ['certs', 'init', spec, '--dir', `${out}/pki`],
  ['apply', spec, '--emulator-state', `${out}/gce-emulator.json`, '--auto-approve'],
  ['kubeconfig', spec, '--dir', `${out}/pki`, '--out', `${out}/kubeconfig`],
];
for (const args of steps) {
  const status = hakocRun(args, env);
  if (status !== 0) {
    process.stderr.write(`\nthe main job stopped: hakoc ${args[0]} exited ${status}\n`);
    process.exit(status);
  }
}
const seconds = ((performance.now() - started) / 1000).toFixed(1);
process.stderr.write(`
Done in ${seconds} s. The example HA cluster lives in the GCE emulator's world:
  emulator state   ${out}/gce-emulator.json   (run npm start again: nothing to change)
  key store        ${out}/pki                 (private keys encrypted with the passphrase)
  kubeconfig       ${out}/kubeconfig
Machines boot with a placeholder Ignition config for now: the full boot configs
(\`hakoc render ${spec} --out DIR\`) need the Kubernetes sysext's SHA-256 pinned from its
release, which this offline run cannot reach.
`);
