// The whole test suite, as `npm test` runs it (through bootstrap.mjs, which has already made
// Node, dependencies and builds ready). Every check runs even when an earlier one failed, so
// one run shows everything that is wrong. The last line is the totals: `N passed, N failed`.
// Static checks (lint, types, API docs) count as one test each; vitest contributes its own count.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const bin = (name) => join(root, 'node_modules', '.bin', name);
const vitestArgs = process.argv.slice(2);

function section(title) {
  process.stdout.write(`\n=== ${title} ===\n`);
}

function run(command, args) {
  const result = spawnSync(command, args, { stdio: 'inherit', cwd: root });
  if (result.error) {
    process.stdout.write(`could not run ${command}: ${result.error.message}\n`);
    return 1;
  }
  return result.status ?? 1;
}

const staticChecks = [
  { title: 'lint and format (Biome)', command: bin('biome'), args: ['check', '.'] },
  { title: 'type-check (tsc, strict)', command: bin('tsc'), args: ['-p', 'tsconfig.json'] },
  {
    title: 'public API documentation (TypeDoc, warnings are errors)',
    command: bin('typedoc'),
    args: ['--emit', 'none'],
  },
];

// What users install (issue #13): the packed tarballs, unused code and dependencies, and the
// public API against its checked-in reports. They read the build, which bootstrap.mjs made.
const packagingChecks = [
  {
    title: 'packed packages (publint)',
    command: process.execPath,
    args: ['scripts/check-packages.ts', 'publint'],
  },
  {
    title: 'types of the packed packages (attw)',
    command: process.execPath,
    args: ['scripts/check-packages.ts', 'attw'],
  },
  {
    title: 'unused files, exports and dependencies (knip)',
    command: bin('knip'),
    args: ['--no-progress'],
  },
  {
    title: 'public API reports are current (api-extractor; `npm run api:report` updates them)',
    command: process.execPath,
    args: ['scripts/api-report.ts', '--check'],
  },
];

let passed = 0;
let failed = 0;
let skipped = 0;
const failures = [];

// A narrowed run (`npm test -- packages/certs`) is for quick iteration: tests only.
if (vitestArgs.length === 0) {
  for (const check of [...staticChecks, ...packagingChecks]) {
    section(check.title);
    if (run(check.command, check.args) === 0) passed += 1;
    else {
      failed += 1;
      failures.push(check.title);
    }
  }
}

section('tests (vitest, every package)');
const reportDir = mkdtempSync(join(tmpdir(), 'hakoc-vitest-'));
const reportFile = join(reportDir, 'report.json');
const status = run(bin('vitest'), [
  'run',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${reportFile}`,
  ...vitestArgs,
]);
try {
  const report = JSON.parse(readFileSync(reportFile, 'utf8'));
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  skipped += report.numPendingTests + report.numTodoTests;
  // A suite that fails to load has no failed *test*, yet the run failed: count it.
  const brokenFiles = report.testResults.filter(
    (file) => file.status === 'failed' && file.assertionResults.length === 0,
  );
  failed += brokenFiles.length;
  if (status !== 0 && report.numFailedTests === 0 && brokenFiles.length === 0) failed += 1;
  if (status !== 0) failures.push('vitest');
} catch {
  failed += 1;
  failures.push('vitest (no report: the run crashed)');
} finally {
  rmSync(reportDir, { recursive: true, force: true });
}

if (failures.length > 0) process.stdout.write(`\nfailed: ${failures.join('; ')}\n`);
process.stdout.write(
  `${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`,
);
process.exit(failed > 0 ? 1 : 0);
