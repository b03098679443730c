/**
 * The benchmark suite: `npm run bench` measures everything and writes its sections of
 * docs/benchmarks.md (between `<!-- bench:<id>:begin/end -->` markers; the rest of the file is
 * left alone). Each figure is measured in this one run, on this machine, and the report says
 * which machine and how busy it was.
 *
 *   node bench/run.ts [--quick] [--out FILE] [--only id,id]
 *
 * `--quick` makes fewer runs of smaller points (about a minute): CI runs it to prove the suite
 * works and the report has its shape, into a temporary file. Its figures are not for quoting.
 * Run it after the packages are built (`npm run bench` builds them first).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { REPO_ROOT } from './lib/example-cluster.ts';
import { describeMachine, loadAverage, machineLine } from './lib/machine.ts';
import { table, verdict } from './lib/markdown.ts';
import { replaceBlocks } from './lib/report-file.ts';
import type { BenchContext, BenchSection, TargetCheck } from './lib/section.ts';
import { applySection } from './sections/apply.ts';
import { engineSection } from './sections/engine.ts';
import { memorySection } from './sections/memory.ts';
import { pkiSection } from './sections/pki.ts';
import { replanSection } from './sections/replan.ts';
import { scaleSection } from './sections/scale.ts';
import { startupSection } from './sections/startup.ts';

const SECTIONS: readonly BenchSection[] = [
  applySection,
  replanSection,
  scaleSection,
  startupSection,
  pkiSection,
  memorySection,
  engineSection,
];

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    out: { type: 'string', default: join(REPO_ROOT, 'docs', 'benchmarks.md') },
    only: { type: 'string' },
  },
});
const only = values.only?.split(',').map((id) => id.trim());
const chosen = SECTIONS.filter((section) => only === undefined || only.includes(section.id));
if (only !== undefined && chosen.length !== only.length) {
  const known = SECTIONS.map((s) => s.id).join(', ');
  throw new Error(`--only names an unknown section; the sections are ${known}`);
}

const started = performance.now();
const loadAtStart = loadAverage();
const machine = machineLine(describeMachine());
const command = `node bench/run.ts${values.quick ? ' --quick' : ''}${only === undefined ? '' : ` --only ${only.join(',')}`}`;
const day = new Date().toISOString().slice(0, 10);
const ctx: BenchContext = {
  quick: values.quick,
  log: (message) => process.stderr.write(`[bench] ${message}\n`),
};
const blocks = new Map<string, string>();
const targets: TargetCheck[] = [];
for (const section of chosen) {
  const sectionStart = performance.now();
  const result = await section.run(ctx);
  ctx.log(`${section.id}: ${((performance.now() - sectionStart) / 1000).toFixed(1)} s`);
  // Each block says when and where it was measured, so a block rewritten by --only says so.
  const [heading = '', ...body] = result.markdown.split('\n');
  blocks.set(
    section.id,
    [heading, '', `_Measured ${day} by \`${command}\` on ${machine}._`, ...body].join('\n'),
  );
  targets.push(...result.targets);
}
const seconds = (performance.now() - started) / 1000;
// The summary of targets belongs to a run of every section; --only leaves it as it was.
if (only === undefined) {
  blocks.set(
    'run',
    [
      `Last written by \`${command}\` on ${day}, every section in ${seconds.toFixed(0)} s${values.quick ? ' (quick mode: one run per point, figures not for quoting)' : ''}.`,
      '',
      `Machine: ${machine}. Load average (1, 5, 15 min) at the start: ${loadAtStart}; at the end: ${loadAverage()}. Every figure below comes from this one run, unless a section says it was measured apart (\`--only\`); compare figures within a run, as ratios, rather than with another run's.`,
      '',
      table(
        ['target', 'wanted', 'measured', ''],
        targets.map((t) => [t.what, t.target, t.measured, verdict(t.met)]),
      ),
    ].join('\n'),
  );
}
const document = existsSync(values.out) ? readFileSync(values.out, 'utf8') : '# Benchmarks\n';
writeFileSync(values.out, replaceBlocks(document, blocks));
ctx.log(`wrote ${values.out}`);
