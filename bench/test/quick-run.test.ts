import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { markers } from '../lib/report-file.ts';

// `npm run bench -- --quick` as CI runs it: into a copy of docs/benchmarks.md, never the file
// itself. Only the report's shape is checked; its timings belong to the benchmark.
const root = fileURLToPath(new URL('../../', import.meta.url));
const docs = join(root, 'docs', 'benchmarks.md');
const SECTIONS = ['run', 'apply', 'replan', 'scale', 'startup', 'pki', 'memory', 'engine'];
const FOREIGN =
  '\n## Packages\n\nA section another script writes; the bench must leave it alone.\n';

/** The document with every generated block cut out: what the bench must not touch. */
function outsideBlocks(text: string): string {
  return SECTIONS.reduce((rest, id) => {
    const { begin, end } = markers(id);
    const start = rest.indexOf(begin);
    const stop = rest.indexOf(end);
    return start === -1 || stop === -1
      ? rest
      : rest.slice(0, start) + rest.slice(stop + end.length);
  }, text);
}

function block(text: string, id: string): string {
  const { begin, end } = markers(id);
  return text.slice(text.indexOf(begin) + begin.length, text.indexOf(end));
}

describe('npm run bench -- --quick', () => {
  let dir: string;
  let before: string;
  let docsBefore: string;
  let report: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hakoc-bench-test-'));
    const out = join(dir, 'benchmarks.md');
    copyFileSync(docs, out);
    writeFileSync(out, readFileSync(out, 'utf8') + FOREIGN);
    before = readFileSync(out, 'utf8');
    docsBefore = readFileSync(docs, 'utf8');
    await promisify(execFile)(process.execPath, ['bench/run.ts', '--quick', '--out', out], {
      cwd: root,
      timeout: 590_000,
      maxBuffer: 16 * 1024 * 1024,
    });
    report = readFileSync(out, 'utf8');
  }, 600_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes each section once, between its markers, and nothing else', () => {
    for (const id of SECTIONS) {
      const { begin, end } = markers(id);
      expect(report.split(begin)).toHaveLength(2);
      expect(report.split(end)).toHaveLength(2);
      expect(report.indexOf(begin)).toBeLessThan(report.indexOf(end));
    }
    expect(outsideBlocks(report)).toBe(outsideBlocks(before));
    expect(report.endsWith(FOREIGN)).toBe(true);
    expect(readFileSync(docs, 'utf8')).toBe(docsBefore);
  });

  it('describes the machine and the load it ran under', () => {
    const run = block(report, 'run');
    expect(run).toContain(`${availableParallelism()} CPUs (\`nproc\`)`);
    expect(run).toContain(`Node ${process.version}`);
    expect(run).toMatch(/at the start: \d+\.\d\d \d+\.\d\d \d+\.\d\d; at the end: \d+\.\d\d/);
    expect(run).toContain('quick mode');
    for (const id of SECTIONS.slice(1))
      expect(block(report, id)).toMatch(/Load average before: \d+\.\d\d/);
  });

  it('checks every target and says whether it held', () => {
    const rows = block(report, 'run')
      .split('\n')
      .filter((line) => line.startsWith('| ') && !line.startsWith('| target'));
    const wanted = [
      'apply ÷ critical path',
      'no-op re-plan API calls',
      'GCE model + render + plan',
      'Vagrant model + render + graph',
      '`hakoc --help` cold start',
      '`hakoc validate examples/gce.yaml`: `@google-cloud/compute` modules loaded',
      '`hakoc plan examples/gce.yaml --emulator`: `@google-cloud/compute` modules loaded',
      'P-256 cluster PKI',
      'RSA-2048 PKI',
      'peak RSS of `hakoc apply`',
    ];
    for (const what of wanted) expect(rows.some((row) => row.includes(what))).toBe(true);
    for (const row of rows) expect(row).toMatch(/\| (met|\*\*missed\*\*) \|$/);
  });

  it("tells the CLI's passphrase check from the rest of its work in the memory section", () => {
    const figures = (start: string) => {
      const row = block(report, 'memory')
        .split('\n')
        .find((line) => line.startsWith(`| ${start}`));
      return (row ?? '').split(' | ').slice(1, 3).map(Number);
    };
    const [node = 0] = figures('`node -e ""`');
    const [peak = 0, outsideScrypt = 0] = figures('`hakoc apply examples/gce.yaml --auto-approve`');
    // Both are the CLI's own figures on top of Node itself; the sampled one cannot pass the peak.
    expect(peak).toBeGreaterThan(node);
    expect(outsideScrypt).toBeGreaterThan(node);
    expect(outsideScrypt).toBeLessThanOrEqual(peak);
  });

  it('measures apply against the critical path with all four schedules', () => {
    const apply = block(report, 'apply');
    expect(apply).toMatch(/Critical path \d+ ms over \d+ steps/);
    // Every operation waited for was found in the emulator's latency table.
    expect(apply).toContain('`networks.insert`');
    expect(apply).not.toContain('.unknown`');
    for (const schedule of [
      'concurrency 8 (the default)',
      'concurrency 10',
      'level by level',
      'concurrency 1',
    ]) {
      const row = apply.split('\n').find((line) => line.includes(schedule) && line.startsWith('|'));
      // runs, then the steps-only wall and its two ratios are numbers in every row.
      expect(row).toMatch(
        /\| 1 \| (\d+|—) \| (\d+\.\d{3}|—) \| \d+ \| \d+\.\d{3} \| \d+\.\d{3} \| \d+ \|$/,
      );
    }
  });
});
