// The main job on the embedded default, as `npm start` runs it (through bootstrap.mjs, which has
// already made Node, dependencies and builds ready). It drives the built `hakoc` command exactly
// as a user would, on the example HA cluster (examples/gce.yaml: 3 etcd members, 3 controllers,
// 2–10 autoscaled workers over three zones) against the built-in GCE emulator:
//   validate → certs init (encrypted key store) → render (the boot configs) → plan --out →
//   apply the saved plan (machines boot with those configs) → kubeconfig → summary
// Everything lands in hakoc-out/ (git-ignored; HAKOC_OUT names another folder); the emulator
// keeps its world there too, so a second run finds the first run's cluster and changes nothing.
// Arguments after `npm start --` run that hakoc command instead.
//
// It must work offline. Container images are pinned by digests hakoc ships, but the Kubernetes
// sysext's SHA-256 comes from its release on GitHub, which an offline machine cannot read (and a
// made-up hash would be a boot config that refuses its own download). So the job runs the
// example as it would boot a pre-built image (spec.image.name, Kubernetes in /opt/kubernetes,
// nothing downloaded at first boot): hakoc-out/cluster.yaml is examples/gce.yaml plus that one
// field. `hakoc render examples/gce.yaml` online shows the sysext variant.

import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const hakoc = join(root, 'packages', 'cli', 'dist', 'bin.js');
const example = 'examples/gce.yaml';
const out = process.env.HAKOC_OUT ?? 'hakoc-out';
/** The pre-built image the job's machines boot (the emulator does not look images up). */
const prebuiltImage = 'hakoc-flatcar-kubernetes';
const spec = `${out}/cluster.yaml`;
const paths = {
  keyStore: `${out}/pki`,
  bootConfigs: `${out}/boot-configs`,
  plan: `${out}/plan.json`,
  emulatorState: `${out}/gce-emulator.json`,
  kubeconfig: `${out}/kubeconfig`,
};

/** Runs one hakoc command; stdout is passed through, and kept when `keepStdout` asks. */
function hakocRun(args, env = process.env, keepStdout = false) {
  process.stderr.write(`\n$ hakoc ${args.join(' ')}\n`);
  const result = spawnSync(process.execPath, [hakoc, ...args], {
    cwd: root,
    stdio: ['inherit', keepStdout ? 'pipe' : 'inherit', 'inherit'],
    encoding: 'utf8',
    env,
  });
  if (keepStdout) process.stdout.write(result.stdout ?? '');
  return { status: result.status ?? 1, stdout: result.stdout ?? '' };
}

function run(args, env, keepStdout) {
  const result = hakocRun(args, env, keepStdout);
  if (result.status !== 0) {
    process.stderr.write(`\nthe main job stopped: hakoc ${args[0]} exited ${result.status}\n`);
    process.exit(result.status);
  }
  return result.stdout;
}

const userArgs = process.argv.slice(2);
if (userArgs.length > 0) process.exit(hakocRun(userArgs).status);

const env = { ...process.env };
if (!env.HAKOC_PASSPHRASE) {
  // A fixed passphrase only for this demo's key store; real clusters take the user's own.
  env.HAKOC_PASSPHRASE = 'hakoc-demo-passphrase';
  process.stderr.write('HAKOC_PASSPHRASE is not set: the demo key store uses a demo passphrase\n');
}

const started = performance.now();
mkdirSync(resolve(root, out), { recursive: true });
// `spec:` is the example's last mapping, so an appended two-space key belongs to it; validate
// below would reject anything else.
writeFileSync(
  resolve(root, spec),
  `# ${example}, booting a pre-built image (written by the main job; see scripts/main-job.mjs)\n${readFileSync(
    join(root, example),
    'utf8',
  )}  image:\n    name: ${prebuiltImage}\n`,
);
const world = ['--emulator-state', paths.emulatorState];
run(['validate', spec], env);
run(['certs', 'init', spec, '--dir', paths.keyStore], env);
run(['render', spec, '--out', paths.bootConfigs, '--pki', paths.keyStore], env);
run(['plan', spec, '--dir', paths.keyStore, ...world, '--out', paths.plan], env);
// A saved plan is its own approval, and apply refuses it if anything changed since.
const applied = run(['apply', paths.plan, '--dir', paths.keyStore, ...world], env, true);
run(['kubeconfig', spec, '--dir', paths.keyStore, '--out', paths.kubeconfig], env);
const seconds = ((performance.now() - started) / 1000).toFixed(1);

const { summary } = JSON.parse(readFileSync(resolve(root, paths.plan), 'utf8')).plan;
const manifest = JSON.parse(
  readFileSync(resolve(root, paths.bootConfigs, 'manifest.json'), 'utf8'),
);
const api = /^API: (.*)$/m.exec(applied)?.[1] ?? 'not reported';
const resources =
  summary.changes === 0
    ? `nothing to change: all ${summary.noop} exist as planned`
    : `${summary.create} created, ${summary.update} updated, ${summary.replace} replaced, ${summary.delete} deleted`;
const row = (label, value, note = '') =>
  `  ${label.padEnd(16)} ${value}${note === '' ? '' : `   (${note})`}\n`;
process.stderr.write(
  `\nDone in ${seconds} s: the example HA cluster ${manifest.cluster} runs in the GCE emulator.\n${[
    row('spec', spec, `${example} booting the pre-built image ${prebuiltImage}`),
    row('resources', resources),
    row('API endpoint', api),
    row('kubeconfig', paths.kubeconfig, 'admin; keep it private'),
    row('key store', paths.keyStore, 'private keys encrypted with the passphrase'),
    row(
      'boot configs',
      paths.bootConfigs,
      `${manifest.configs.length} Ignition configs (one per etcd member, control plane, workers), manifest.json, pki/ with certificates only`,
    ),
    row('emulator state', paths.emulatorState, 'run npm start again: nothing to change'),
  ].join('')}`,
);
