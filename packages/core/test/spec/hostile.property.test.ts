import { parseClusterSpec } from '@hakoc/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gceInput, vagrantInput } from './fixtures.js';

const runs = { seed: 20261128, numRuns: 200 };

/** A path to an existing field or section, so hostile values replace real parts of the spec. */
const pathArbitrary = fc.constantFrom<readonly (string | number)[]>(
  ['spec'],
  ['metadata'],
  ['spec', 'etcd'],
  ['spec', 'etcd', 'count'],
  ['spec', 'workers'],
  ['spec', 'provider'],
  ['spec', 'provider', 'vagrant'],
  ['spec', 'network'],
  ['spec', 'keyStore'],
  ['spec', 'image'],
  ['spec', 'controlPlane', 'machineType'],
);

/** Values no YAML or JSON author could write, each built fresh for one run. */
const hostileArbitrary = fc.constantFrom<() => { value: unknown; cyclic?: boolean }>(
  () => ({ value: new Map([['count', 3]]) }),
  () => ({ value: new Set([1]) }),
  () => ({ value: new Date(0) }),
  () => ({ value: 10n }),
  () => ({ value: Symbol('x') }),
  () => ({ value: () => 3 }),
  () => ({ value: new (class Etcd {})() }),
  () => ({ value: Object.create({ count: 3 }) as unknown }),
  () => ({ value: new Uint8Array(2) }),
  () => ({
    value: Object.defineProperty({}, 'count', {
      enumerable: true,
      get: () => {
        throw new Error('getter says no');
      },
    }),
  }),
  () => ({
    value: new Proxy(
      {},
      {
        ownKeys: () => {
          throw new Error('trap says no');
        },
      },
    ),
  }),
  () => {
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    return { value: cycle, cyclic: true };
  },
);

describe('parseClusterSpec on hostile objects', () => {
  it('never throws, and reports spec.notPlainData with the path of the hostile value', () => {
    fc.assert(
      fc.property(fc.boolean(), pathArbitrary, hostileArbitrary, (gce, path, make) => {
        const document = (gce ? gceInput() : vagrantInput()) as unknown as Record<string, unknown>;
        const { value, cyclic } = make();
        setAt(document, path, value);
        const result = parseClusterSpec(document);
        expect(result.ok).toBe(false);
        const reported = result.diagnostics.filter((d) => d.code === 'spec.notPlainData');
        expect(reported.length).toBeGreaterThan(0);
        for (const diagnostic of reported) {
          expect(diagnostic.path.slice(0, path.length)).toEqual(path);
          if (cyclic === true) expect(diagnostic.path).toEqual([...path, 'self']);
          else expect(diagnostic.path.length).toBeLessThanOrEqual(path.length + 1);
        }
      }),
      runs,
    );
  });

  it('never throws on a whole hostile document', () => {
    fc.assert(
      fc.property(hostileArbitrary, (make) => {
        const result = parseClusterSpec(make().value);
        expect(result.ok).toBe(false);
        expect(result.diagnostics.length).toBeGreaterThan(0);
      }),
      runs,
    );
  });

  it('accepts the same spec built with a null prototype, and ignores inherited and hidden keys', () => {
    const valid = vagrantInput() as unknown as Record<string, unknown>;
    const bare = Object.assign(Object.create(null) as Record<string, unknown>, valid);
    Object.defineProperty(bare, 'hidden', { value: 1, enumerable: false });
    Object.defineProperty(bare, Symbol('tag'), { value: 1, enumerable: true });
    expect(parseClusterSpec(bare).ok).toBe(true);
  });
});

function setAt(
  document: Record<string, unknown>,
  path: readonly (string | number)[],
  value: unknown,
): void {
  let node: Record<string | number, unknown> = document;
  for (const segment of path.slice(0, -1)) {
    node = node[segment] as Record<string | number, unknown>;
  }
  const last = path.at(-1);
  if (last !== undefined) node[last] = value;
}
