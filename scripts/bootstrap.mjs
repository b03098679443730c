#!/usr/bin/env node
// The README's two commands (`npm start`, `npm test`) land here. This file must run on any
// Node the machine ships (Node 20 included), so it is plain JavaScript with no dependencies.
//
// It makes the repository ready, doing only what is not done yet:
//   1. Node >= 22.18: when the running Node is older, fetch the npm package `node@22` into
//      .tools/node22 and re-run this script under it.
//   2. pnpm, pinned by `packageManager` in package.json, into .tools/pnpm.
//   3. `pnpm install --frozen-lockfile` when the lockfile or Node changed since the last install.
//   4. Build every package when its sources changed since the last build.
// Then it runs the task: `start` (the main job), `test` (the whole suite), `setup` (nothing
// more) or `exec CMD ARGS…` (a tool under the same Node, e.g. `npm run lint`).
//
// Stamps live in node_modules/.hakoc, so deleting node_modules resets everything.

import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const MIN_NODE = [22, 18];
const root = dirname(dirname(fileURLToPath(import.meta.url)));
const tools = join(root, '.tools');
const stamps = join(root, 'node_modules', '.hakoc');
const [task = 'help', ...taskArgs] = process.argv.slice(2);

const TASKS = {
  start: () => run(process.execPath, [join(root, 'scripts', 'main-job.mjs'), ...taskArgs]),
  test: () => run(process.execPath, [join(root, 'scripts', 'run-tests.mjs'), ...taskArgs]),
  setup: () => 0,
  exec: () => {
    const [command, ...args] = taskArgs;
    if (!command) throw new Error('usage: node scripts/bootstrap.mjs exec <command> [args…]');
    return run(command, args);
  },
};

function log(message) {
  process.stderr.write(`[bootstrap] ${message}\n`);
}

/** Runs a command with inherited stdio; returns its exit code. */
function run(command, args, options = {}) {
  const result = spawnSync(command, args, { stdio: 'inherit', cwd: root, ...options });
  if (result.error) throw result.error;
  if (result.signal) return 128 + 15;
  return result.status ?? 1;
}

function mustRun(what, command, args, options) {
  const status = run(command, args, options);
  if (status !== 0) {
    log(`${what} failed (exit ${status})`);
    process.exit(status);
  }
}

function nodeIsRecentEnough(version) {
  const [major, minor] = version.replace(/^v/, '').split('.').map(Number);
  return major > MIN_NODE[0] || (major === MIN_NODE[0] && minor >= MIN_NODE[1]);
}

/** Installs one npm package into its own folder under .tools, with the machine's npm. */
function npmInstallInto(prefix, spec) {
  mkdirSync(prefix, { recursive: true });
  const args = ['install', '--prefix', prefix, '--no-audit', '--no-fund', '--loglevel=error', spec];
  mustRun(`installing ${spec}`, 'npm', args);
}

/** Re-executes this script under Node 22 when the running Node is older. */
function ensureNode() {
  if (nodeIsRecentEnough(process.version)) return;
  const prefix = join(tools, 'node22');
  const node = join(prefix, 'node_modules', 'node', 'bin', 'node');
  if (!existsSync(node)) {
    log(
      `Node ${process.version} is older than ${MIN_NODE.join('.')}; fetching node@22 into .tools/node22`,
    );
    npmInstallInto(prefix, 'node@22');
  }
  const probe = spawnSync(node, ['--version'], { encoding: 'utf8' });
  if (probe.status !== 0 || !nodeIsRecentEnough(probe.stdout.trim())) {
    log(
      `the fetched Node (${probe.stdout.trim() || 'unusable'}) is still too old; remove .tools and retry`,
    );
    process.exit(1);
  }
  process.exit(run(node, [fileURLToPath(import.meta.url), task, ...taskArgs]));
}

/** Installs the pnpm version package.json pins, and returns the bin folder holding it. */
function ensurePnpm() {
  const pinned = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).packageManager;
  const version = pinned.replace(/^pnpm@/, '');
  const prefix = join(tools, 'pnpm');
  const entry = join(prefix, 'node_modules', 'pnpm', 'package.json');
  const installed = existsSync(entry) ? JSON.parse(readFileSync(entry, 'utf8')).version : undefined;
  if (installed !== version) {
    log(`installing pnpm ${version} into .tools/pnpm`);
    npmInstallInto(prefix, `pnpm@${version}`);
  }
  return join(prefix, 'node_modules', '.bin');
}

/** Hash of the given files and of every file under the given folders (skipping build output). */
function fingerprint(paths) {
  const hash = createHash('sha256');
  hash.update(process.version);
  const visit = (path) => {
    if (!existsSync(path)) return;
    const stat = statSync(path);
    if (stat.isDirectory()) {
      for (const entry of readdirSync(path).sort()) {
        if (entry === 'node_modules' || entry === 'dist') continue;
        visit(join(path, entry));
      }
      return;
    }
    hash.update(relative(root, path));
    hash.update('\0');
    hash.update(readFileSync(path));
    hash.update('\0');
  };
  for (const path of paths) visit(join(root, path));
  return hash.digest('hex');
}

/** Runs `action` only when the fingerprint differs from the one recorded after its last success. */
function once(name, inputs, action) {
  const stampFile = join(stamps, name);
  const current = fingerprint(inputs);
  if (existsSync(stampFile) && readFileSync(stampFile, 'utf8') === current) return;
  action();
  mkdirSync(stamps, { recursive: true });
  writeFileSync(stampFile, current);
}

function packageFolders() {
  return readdirSync(join(root, 'packages')).map((name) => join('packages', name));
}

function main() {
  if (!(task in TASKS)) {
    log(`usage: node scripts/bootstrap.mjs <${Object.keys(TASKS).join('|')}> [args…]`);
    process.exit(2);
  }
  ensureNode();
  const pnpmBin = ensurePnpm();
  // Every child process (pnpm, its scripts, the task) finds this Node, pnpm and the workspace's
  // tools first on PATH.
  const localBin = join(root, 'node_modules', '.bin');
  process.env.PATH = [dirname(process.execPath), pnpmBin, localBin, process.env.PATH].join(':');
  const pnpm = (what, args) => mustRun(what, join(pnpmBin, 'pnpm'), args);

  const manifests = [...packageFolders(), 'examples', 'bench'].map((p) => `${p}/package.json`);
  once('install', ['pnpm-lock.yaml', 'pnpm-workspace.yaml', 'package.json', ...manifests], () => {
    log('installing dependencies (frozen lockfile)');
    pnpm('pnpm install', [
      'install',
      '--frozen-lockfile',
      '--prefer-offline',
      '--reporter=append-only',
    ]);
  });
  const buildInputs = packageFolders().flatMap((p) =>
    ['src', 'package.json', 'tsup.config.ts', 'tsconfig.json'].map((f) => `${p}/${f}`),
  );
  once('build', ['tsconfig.base.json', 'pnpm-lock.yaml', ...buildInputs], () => {
    log('building packages');
    pnpm('build', ['-r', '--filter', './packages/**', 'run', 'build']);
  });
  process.exit(TASKS[task]());
}

main();
