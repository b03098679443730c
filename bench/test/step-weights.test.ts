import { describe, expect, it } from 'vitest';
import type { CostedOperation } from '../lib/operation-costs.ts';
import { stepWeights, unionMs } from '../lib/step-weights.ts';

const op = (
  startedAt: number,
  nominalMs: number,
  latencyKey = 'networks.insert',
  byClient = true,
): CostedOperation => ({ startedAt, nominalMs, latencyKey, byClient });

describe('unionMs', () => {
  it('adds intervals one after another and counts overlapping time once', () => {
    expect(unionMs([])).toBe(0);
    expect(
      unionMs([
        { start: 0, end: 10 },
        { start: 20, end: 25 },
      ]),
    ).toBe(15);
    expect(
      unionMs([
        { start: 5, end: 30 },
        { start: 0, end: 10 },
        { start: 12, end: 20 },
      ]),
    ).toBe(30);
  });
});

describe('stepWeights', () => {
  const windows = new Map([
    ['a', { start: 100, end: 200 }],
    ['b', { start: 200, end: 1_000 }],
  ]);

  it('gives an operation started where two windows meet to the later step', () => {
    const weights = stepWeights(windows, [op(110, 60), op(200, 40, 'dns.changes')]);
    expect(weights.get('a')?.ms).toBe(60);
    expect(weights.get('b')?.operations.map((o) => o.latencyKey)).toEqual(['dns.changes']);
  });

  it('counts operations side by side once and those in a row in full, not the gaps', () => {
    // b: its own insert (150), then a call that starts a group VM (750) beside an operation of 150.
    const weights = stepWeights(windows, [
      op(205, 150, 'instanceGroupManagers.insert'),
      op(380, 150, 'instanceGroupManagers.createInstances'),
      op(381, 600, 'instances.insert', false),
    ]);
    expect(weights.get('b')?.ms).toBe(150 + 601);
  });

  it("leaves out GCE's own operations the step did not wait for, and operations of no step", () => {
    const weights = stepWeights(windows, [
      op(120, 30),
      op(150, 500, 'instances.insert', false),
      op(2_000, 50, 'healthChecks.delete', false),
    ]);
    expect(weights.get('a')?.ms).toBe(30);
    expect(weights.get('b')?.ms).toBe(0);
  });
});
