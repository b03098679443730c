import { describe, expect, it } from 'vitest';
import { markers, replaceBlocks } from '../lib/report-file.ts';

describe('replaceBlocks', () => {
  const { begin, end } = markers('apply');
  const document = [
    '# Benchmarks',
    '',
    'Hand-written introduction.',
    '',
    begin,
    'old figures',
    end,
    '',
    '## Packages',
    '',
    'Written by another script; not ours.',
    '',
  ].join('\n');

  it('replaces what is between its markers and keeps every other line', () => {
    const updated = replaceBlocks(document, new Map([['apply', '## Apply\n\nnew figures\n']]));
    expect(updated).toBe(document.replace('old figures', '## Apply\n\nnew figures'));
  });

  it('appends a block whose markers are missing', () => {
    const updated = replaceBlocks(document, new Map([['memory', '## Memory']]));
    const memory = markers('memory');
    expect(updated.startsWith(document.trimEnd())).toBe(true);
    expect(updated.endsWith(`\n\n${memory.begin}\n## Memory\n${memory.end}\n`)).toBe(true);
  });

  it('refuses markers out of order rather than guess', () => {
    const broken = document.replace(begin, 'x').replace(end, begin);
    expect(() => replaceBlocks(broken, new Map([['apply', 'y']]))).toThrow(/out of order/);
  });
});
