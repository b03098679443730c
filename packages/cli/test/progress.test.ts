import { describe, expect, it } from 'vitest';
import { createProgressReporter } from '../src/progress/index.js';
import { progressModeFor } from '../src/progress/progress-mode.js';
import { captureIo } from './capture-io.js';
import { applyEvents, step } from './support/engine-events.js';
import { fakeClock } from './support/fake-clock.js';
import { ESC } from './support/screen.js';

describe('progress mode', () => {
  it('is live only in a terminal, outside CI, without --json, on a terminal that moves the cursor', () => {
    const tty = (env: Record<string, string> = {}) => captureIo({ interactive: true, env });
    expect(progressModeFor(tty(), false)).toBe('live');
    expect(progressModeFor(tty(), true)).toBe('json');
    expect(progressModeFor(tty({ CI: 'true' }), false)).toBe('lines');
    expect(progressModeFor(tty({ CI: 'false' }), false)).toBe('live');
    expect(progressModeFor(tty({ TERM: 'dumb' }), false)).toBe('lines');
    expect(progressModeFor(captureIo({ interactive: false }), false)).toBe('lines');
  });
});

describe('progress in CI and pipes', () => {
  it('prints one plain line per event, stamped with the time since the start, and a summary', () => {
    const clock = fakeClock();
    const io = captureIo({ env: { CI: 'true' } });
    const reporter = createProgressReporter(io, { now: clock.now });
    for (const event of applyEvents()) {
      reporter.onEvent(event);
      clock.advance(1500);
    }
    reporter.finish();
    expect(io.out()).toBe('');
    expect(io.err()).not.toContain(ESC);
    const lines = io.err().trimEnd().split('\n');
    expect(lines).toEqual([
      '[00:00] Planning demo on gce…',
      '[00:01] Plan: 1 to create, 1 to update, 1 to replace, 0 to delete, 4 unchanged (1.2s)',
      '[00:03] Locked demo for laptop:42',
      '[00:04] Applying demo: 3 changes',
      '[00:06]   → create gce.network/demo',
      '[00:07]   → update gce.firewall/demo-internal',
      '[00:09]   … gce.network/demo: operation RUNNING',
      '[00:10]   ↻ update gce.firewall/demo-internal: attempt 1 failed (rate-limited: rate limit exceeded); retrying in 1.5s',
      '[00:12]   ✓ created gce.network/demo (4.2s)',
      '[00:13]   ✓ updated gce.firewall/demo-internal (6.1s)',
      '[00:15]   → replace gce.instanceTemplate/workers',
      '[00:16]   ✗ replace gce.instanceTemplate/workers failed after 0.8s: instance template insert failed: QUOTA_EXCEEDED [HAKOC_PROVIDER_ERROR]',
      '[00:16]       hint: raise the CPUS quota of the region',
      '[00:18] ✗ Apply failed after 18.0s: 1 created, 1 updated, 0 replaced, 0 deleted, 1 failed',
      '[00:19] Unlocked demo',
    ]);
  });

  it('never prints the cause of an error, where a request with secrets may be quoted', () => {
    const io = captureIo({ env: { CI: '1' } });
    const reporter = createProgressReporter(io);
    for (const event of applyEvents('BEGIN PRIVATE KEY')) reporter.onEvent(event);
    expect(io.err()).toContain('QUOTA_EXCEEDED');
    expect(io.err()).not.toContain('BEGIN PRIVATE KEY');
  });

  it('says how to resume after an interrupted run', () => {
    const io = captureIo();
    const reporter = createProgressReporter(io);
    reporter.onEvent({
      type: 'apply.finished',
      operation: 'destroy',
      totals: { done: 3, failed: 0, notStarted: 5, unknown: 1, unchanged: 0 },
      aborted: true,
      durationMs: 9000,
    });
    expect(io.err()).toMatch(
      /! Destroy interrupted after .*: 0 created, 0 updated, 0 replaced, 0 deleted, 0 failed; 1 in flight, outcome unknown, 5 not started\n.*Run the same command again to resume/,
    );
  });
});

describe('progress with --json', () => {
  it('prints every event as one JSON object per line, as the engine sent it', () => {
    const io = captureIo({ interactive: true });
    const reporter = createProgressReporter(io, { json: true });
    const events = applyEvents();
    for (const event of events) reporter.onEvent(event);
    reporter.note('Interrupted: no new steps will start');
    reporter.finish();
    const lines = io.err().trimEnd().split('\n');
    expect(lines).toHaveLength(events.length + 1);
    const parsed = lines.map((line) => JSON.parse(line) as { type: string });
    expect(parsed.map((event) => event.type)).toEqual([
      ...events.map((event) => event.type),
      'cli.notice',
    ]);
    expect(parsed[4]).toEqual(events[4]);
    expect(parsed[7]).toEqual(events[7]);
  });

  it('keeps a failed step error to its own fields: no cause, no stack, no secret', () => {
    const io = captureIo();
    const reporter = createProgressReporter(io, { json: true });
    for (const event of applyEvents('BEGIN PRIVATE KEY')) reporter.onEvent(event);
    expect(io.err()).not.toContain('BEGIN PRIVATE KEY');
    const failed = io
      .err()
      .split('\n')
      .map((line) => (line === '' ? undefined : (JSON.parse(line) as Record<string, unknown>)))
      .find((event) => event?.type === 'resource.failed');
    expect(failed?.error).toEqual({
      name: 'ProviderError',
      code: 'HAKOC_PROVIDER_ERROR',
      message: 'instance template insert failed: QUOTA_EXCEEDED',
      hint: 'raise the CPUS quota of the region',
      provider: 'gce',
      operation: 'create',
      resource: 'gce.instanceTemplate/workers',
      reason: 'invalid',
      retryable: false,
    });
  });

  it('writes nothing to stdout, whatever the mode', () => {
    for (const json of [true, false]) {
      for (const interactive of [true, false]) {
        const io = captureIo({ interactive });
        const reporter = createProgressReporter(io, { json });
        reporter.onEvent({ type: 'resource.start', step: step('demo') });
        reporter.finish();
        expect(io.out()).toBe('');
        expect(io.err()).not.toBe('');
      }
    }
  });
});
