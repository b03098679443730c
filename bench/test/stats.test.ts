import { describe, expect, it } from 'vitest';
import { median, range } from '../lib/stats.ts';

describe('median and range', () => {
  it('takes the middle value, the lower one of an even count', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2);
    expect(range([4, 1, 3])).toEqual({ min: 1, max: 4 });
  });

  it('says NaN for no values rather than a number', () => {
    expect(median([])).toBeNaN();
    expect(range([]).max).toBeNaN();
  });
});
