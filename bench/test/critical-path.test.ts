import { describe, expect, it } from 'vitest';
import { criticalPath, dependencyLevels } from '../lib/critical-path.ts';

const step = (id: string, weightMs: number, dependsOn: string[] = []) => ({
  id,
  weightMs,
  dependsOn,
});

describe('criticalPath', () => {
  it('follows the heaviest chain, not the longest one by count', () => {
    const path = criticalPath([
      step('network', 120),
      step('subnet', 100, ['network']),
      step('firewall', 60, ['network']),
      step('template', 20, ['subnet']),
      step('group', 30, ['template']),
      step('address', 25),
      step('forwarding', 150, ['address', 'group']),
      // Three light steps in a row: more steps, less time.
      step('a', 10),
      step('b', 10, ['a']),
      step('c', 10, ['b']),
    ]);
    expect(path.lengthMs).toBe(120 + 100 + 20 + 30 + 150);
    expect(path.chain).toEqual(['network', 'subnet', 'template', 'group', 'forwarding']);
  });

  it('takes steps in any order and ignores dependencies outside the graph', () => {
    const path = criticalPath([step('late', 5, ['early', 'outside']), step('early', 7)]);
    expect(path).toEqual({ lengthMs: 12, chain: ['early', 'late'] });
  });

  it('refuses a cycle', () => {
    expect(() => criticalPath([step('a', 1, ['b']), step('b', 1, ['a'])])).toThrow(/cycle/);
  });
});

describe('dependencyLevels', () => {
  it('puts each step one level after its latest dependency', () => {
    const levels = dependencyLevels([
      step('forwarding', 0, ['address', 'group']),
      step('network', 0),
      step('address', 0),
      step('subnet', 0, ['network']),
      step('group', 0, ['subnet', 'network']),
    ]);
    expect(levels).toEqual([['network', 'address'], ['subnet'], ['group'], ['forwarding']]);
  });
});
