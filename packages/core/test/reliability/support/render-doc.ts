import { RELIABILITY_AREAS, type ReliabilityRecord } from './record.js';

/** Markdown table cells hold no pipes or line breaks. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
}

function seconds(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

function row(record: ReliabilityRecord): string {
  const outcome =
    record.outcome === 'held' ? 'held' : `**FAILED**: ${record.failure ?? 'see the test run'}`;
  return `| ${[
    `${cell(record.test)} <br>\`${record.file}\``,
    `${record.cases.toLocaleString('en-US')} ${cell(record.unit)}`,
    cell(record.details === undefined ? record.held : `${record.held}. ${record.details}`),
    record.seed === undefined ? '—' : String(record.seed),
    seconds(record.durationMs),
    cell(outcome),
    record.ranAt.slice(0, 10),
  ].join(' | ')} |`;
}

/** docs/reliability.md from the records the tests wrote. */
export function renderReliabilityDoc(records: readonly ReliabilityRecord[]): string {
  const sorted = [...records].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const total = sorted.reduce((sum, r) => sum + r.cases, 0);
  const failed = sorted.filter((r) => r.outcome !== 'held');
  const lines = [
    '# Reliability and security evidence',
    '',
    '<!-- Written by the test suite (packages/core/test/reliability/support/results.ts) from',
    '     docs/reliability/*.json; edit the tests, not this file. -->',
    '',
    'What the reliability tests did to hakoc on their last run, and what held. Each test records',
    'its own figures when it runs (`docs/reliability/<id>.json`) and rewrites this page, so the',
    'numbers below are counted by the tests, not typed. Seeded tests draw the same cases on every',
    'run (where timing decides what a case meets, such as the moment a kill lands or which call a',
    'storm fails, the seed fixes the draw, not the outcome); run one again with',
    '`npx vitest run <file>`. Times are wall-clock on the machine that last ran the test.',
    '',
    `**${sorted.length} tests, ${total.toLocaleString('en-US')} cases, ${
      failed.length === 0 ? 'all held' : `${failed.length} failed`
    }.**`,
  ];
  for (const area of RELIABILITY_AREAS) {
    const inArea = sorted.filter((r) => r.area === area);
    if (inArea.length === 0) continue;
    lines.push(
      '',
      `## ${area}`,
      '',
      '| Test | Cases | What held | Seed | Time | Outcome | Run |',
      '| --- | ---: | --- | ---: | ---: | --- | --- |',
      ...inArea.map(row),
    );
  }
  return `${lines.join('\n')}\n`;
}
