import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const src = resolve(dirname(fileURLToPath(import.meta.url)), '../../src');

// Modules `file` loads at run time: its imports and re-exports that are not type-only.
function runtimeImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const statements = text.matchAll(/^(?:import|export)\s+(type\s+)?[^;]*?from\s+'([^']+)'/gms);
  return [...statements].filter((m) => m[1] === undefined).map((m) => m[2] ?? '');
}

function reachable(entry: string): Set<string> {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const specifier of runtimeImports(file)) {
      if (specifier.startsWith('.'))
        visit(resolve(dirname(file), specifier.replace(/\.js$/, '.ts')));
      else seen.add(specifier);
    }
  };
  visit(entry);
  return seen;
}

describe('@hakoc/core/testing entry points', () => {
  it('load the mock provider without vitest', () => {
    expect(reachable(resolve(src, 'testing/index.ts')).has('vitest')).toBe(false);
  });

  it('keep the contract suite, which needs vitest, on its own subpath', async () => {
    expect(reachable(resolve(src, 'testing/contract.ts')).has('vitest')).toBe(true);
    const pkg = JSON.parse(readFileSync(resolve(src, '../package.json'), 'utf8'));
    expect(pkg.exports['./testing/contract']['@hakoc/source']).toBe('./src/testing/contract.ts');
    const contract = await import('../../src/testing/contract.js');
    expect(typeof contract.providerContractTests).toBe('function');
  });
});
