import { describe, expect, it } from 'vitest';
import { closestMatch } from '../../src/spec/suggest.js';

describe('closestMatch', () => {
  it('finds a different case, then the nearest word within a third of its length', () => {
    expect(closestMatch('ZONES', ['zones', 'zone'])).toBe('zones');
    expect(closestMatch('contrlPlane', ['controlPlane', 'workers'])).toBe('controlPlane');
    expect(closestMatch('wrkrs', ['workers'])).toBeUndefined();
    expect(closestMatch('etdc', ['etcd', 'etc'])).toBe('etc');
  });
});
