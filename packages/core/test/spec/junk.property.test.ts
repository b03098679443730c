import { parseClusterSpec } from '@hakoc/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { gceInput, vagrantInput, withField } from './fixtures.js';

const runs = { seed: 20261127, numRuns: 300 };

/** Every diagnostic is well formed, and an invalid result has at least one error. */
function checkResult(result: ReturnType<typeof parseClusterSpec>): void {
  for (const diagnostic of result.diagnostics) {
    expect(['error', 'warning']).toContain(diagnostic.severity);
    expect(diagnostic.code).toMatch(/^[a-z]+\.[A-Za-z]+$/);
    expect(diagnostic.message.length).toBeGreaterThan(0);
    expect(Array.isArray(diagnostic.path)).toBe(true);
  }
  if (!result.ok) expect(result.diagnostics.some((d) => d.severity === 'error')).toBe(true);
}

/** A path into a spec: real keys mostly, so the junk lands inside sections, not only beside them. */
const pathArbitrary = fc.array(
  fc.oneof(
    fc.constantFrom(
      'spec',
      'metadata',
      'name',
      'provider',
      'gce',
      'vagrant',
      'zones',
      'network',
      'workers',
      'etcd',
      'count',
      'min',
      'keyStore',
      'passphrase',
      'image',
    ),
    fc.string({ maxLength: 8 }),
    fc.nat(3),
  ),
  { minLength: 1, maxLength: 5 },
);

describe('parseClusterSpec on junk', () => {
  it('never throws on arbitrary values', () => {
    fc.assert(
      fc.property(fc.anything(), (junk) => checkResult(parseClusterSpec(junk))),
      runs,
    );
  });

  it('never throws on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => checkResult(parseClusterSpec(text))),
      runs,
    );
  });

  it('reports junk planted in a valid spec with a path, from objects and from YAML', () => {
    fc.assert(
      fc.property(fc.boolean(), pathArbitrary, fc.jsonValue({ maxDepth: 3 }), (gce, path, junk) => {
        const input = withField(gce ? gceInput() : vagrantInput(), path, junk);
        checkResult(parseClusterSpec(input));
        const fromText = parseClusterSpec(stringify(input), { file: 'junk.yaml' });
        checkResult(fromText);
        for (const diagnostic of fromText.diagnostics) {
          expect(diagnostic.location?.file).toBe('junk.yaml');
          expect(diagnostic.location?.line).toBeGreaterThanOrEqual(1);
        }
      }),
      runs,
    );
  });
});
