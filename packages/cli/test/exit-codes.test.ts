import { readFileSync } from 'node:fs';
import { ExitCode } from '@hakoc/cli';
import { describe, expect, it } from 'vitest';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

describe('exit codes', () => {
  it('the README documents exactly the codes hakoc exits with', () => {
    const section = readme.slice(readme.indexOf('## Exit codes'));
    const documented = [...section.matchAll(/^\| (\d+) \| (.+) \|$/gm)].map((m) => Number(m[1]));
    expect(documented).toEqual(Object.values(ExitCode).sort((a, b) => a - b));
  });

  it('never gives two meanings one code', () => {
    const codes = Object.values(ExitCode);
    expect(new Set(codes).size).toBe(codes.length);
  });
});
