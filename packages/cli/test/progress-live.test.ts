import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createProgressReporter } from '../src/progress/index.js';
import { captureIo } from './capture-io.js';
import { applyEvents, step } from './support/engine-events.js';
import { fakeClock } from './support/fake-clock.js';
import { colourSequence, screenAfter } from './support/screen.js';

/** A terminal reporter over captured stderr, a fake clock and a fixed window size. */
function terminal(options: { columns?: number; rows?: number; env?: Record<string, string> } = {}) {
  const clock = fakeClock();
  const writes: string[] = [];
  const io = captureIo({
    interactive: true,
    env: options.env ?? {},
    stderr: (text) => writes.push(text),
  });
  const reporter = createProgressReporter(io, {
    now: clock.now,
    terminalSize: () => ({ columns: options.columns ?? 100, rows: options.rows ?? 30 }),
  });
  const output = () => writes.join('');
  return { clock, reporter, writes, output, screen: () => screenAfter(output()), io };
}

/** Lets the clock and the redraw timers move together. */
function elapse(clock: { advance: (ms: number) => void }, ms: number) {
  clock.advance(ms);
  vi.advanceTimersByTime(ms);
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('live progress in a terminal', () => {
  it('shows one line per running step with its elapsed time, redrawn in place', () => {
    const t = terminal({ env: { NO_COLOR: '1' } });
    t.reporter.onEvent({ type: 'apply.started', operation: 'apply', cluster: 'demo', changes: 2 });
    t.reporter.onEvent({ type: 'resource.start', step: step('demo') });
    elapse(t.clock, 200);
    t.reporter.onEvent({ type: 'resource.start', step: step('etcd-0', 'create', 'gce.instance') });
    elapse(t.clock, 200);
    expect(t.screen()).toEqual([
      'Applying demo: 2 changes',
      '  • create gce.network/demo  0s',
      '  • create gce.instance/etcd-0  0s',
    ]);
    t.reporter.onEvent({
      type: 'resource.progress',
      step: step('etcd-0', 'create', 'gce.instance'),
      message: 'operation RUNNING',
    });
    elapse(t.clock, 3000);
    expect(t.screen()).toEqual([
      'Applying demo: 2 changes',
      '  • create gce.network/demo  3s',
      '  • create gce.instance/etcd-0  3s  operation RUNNING',
    ]);
    // In place: the cursor went back up over the live lines, nothing was appended below.
    expect(t.output()).toContain('\u001b[2A');
  });

  it('prints finished steps once, as permanent lines above the live ones, then a summary', () => {
    const t = terminal({ env: { NO_COLOR: '1' } });
    for (const event of applyEvents()) {
      t.reporter.onEvent(event);
      elapse(t.clock, 1000);
    }
    t.reporter.finish();
    expect(t.screen()).toEqual([
      'Planning demo on gce…',
      'Plan: 1 to create, 1 to update, 1 to replace, 0 to delete, 4 unchanged (1.2s)',
      'Locked demo for laptop:42',
      'Applying demo: 3 changes',
      '  ↻ update gce.firewall/demo-internal: attempt 1 failed (rate-limited: rate limit exceeded); retrying in 1.5s',
      '  ✓ created gce.network/demo (4.2s)',
      '  ✓ updated gce.firewall/demo-internal (6.1s)',
      '  ✗ replace gce.instanceTemplate/workers failed after 0.8s: instance template insert failed: QUOTA_EXCEEDED [HAKOC_PROVIDER_ERROR]',
      '      hint: raise the CPUS quota of the region',
      '✗ Apply failed after 12.0s: 1 created, 1 updated, 0 replaced, 0 deleted, 1 failed',
      'Unlocked demo',
    ]);
    expect(t.output()).not.toContain('PRIVATE KEY');
  });

  it('shows a pending retry on the step line', () => {
    const t = terminal({ env: { NO_COLOR: '1' } });
    const events = applyEvents();
    for (const event of events.slice(4, 8)) t.reporter.onEvent(event);
    elapse(t.clock, 2000);
    expect(t.screen().at(-1)).toBe(
      '  • update gce.firewall/demo-internal  2s  attempt 2 (rate-limited)',
    );
  });

  it('redraws at most once per 100 ms however many events arrive', () => {
    const t = terminal();
    for (let i = 0; i < 40; i += 1) {
      t.reporter.onEvent({ type: 'resource.start', step: step(`worker-${i}`) });
    }
    expect(t.writes).toHaveLength(1);
    vi.advanceTimersByTime(100);
    expect(t.writes).toHaveLength(2);
    // Nothing changed since: the once-a-second tick does not write an identical screen.
    vi.advanceTimersByTime(500);
    expect(t.writes).toHaveLength(2);
  });

  it('keeps live lines within the window: cut to its width, and no more lines than it has rows', () => {
    const t = terminal({ columns: 40, rows: 6, env: { NO_COLOR: '1' } });
    for (let i = 0; i < 10; i += 1) {
      t.reporter.onEvent({
        type: 'resource.start',
        step: step(`a-rather-long-instance-name-${i}`, 'create', 'gce.instance'),
      });
    }
    elapse(t.clock, 200);
    const screen = t.screen();
    expect(screen).toHaveLength(4);
    expect(screen.every((line) => line.length <= 39)).toBe(true);
    expect(screen[0]).toBe('  • create gce.instance/a-rather-long-…');
    expect(screen.at(-1)).toBe('  … and 7 more running');
  });

  it('colours with escape codes unless NO_COLOR is set, and moves the cursor either way', () => {
    const coloured = terminal();
    const plain = terminal({ env: { NO_COLOR: '1' } });
    for (const t of [coloured, plain]) {
      t.reporter.onEvent({ type: 'resource.start', step: step('demo') });
      t.reporter.onEvent({ type: 'resource.done', step: step('demo'), durationMs: 10 });
      t.reporter.finish();
    }
    expect(coloured.output()).toMatch(colourSequence);
    expect(plain.output()).not.toMatch(colourSequence);
    expect(plain.output()).toContain('\u001b[1A');
    expect(screenAfter(coloured.output())).toEqual(screenAfter(plain.output()));
  });

  it('on finish reports steps still running, stops redrawing and leaves no live line', () => {
    const t = terminal({ env: { NO_COLOR: '1' } });
    t.reporter.onEvent({ type: 'resource.start', step: step('demo') });
    elapse(t.clock, 65_000);
    t.reporter.finish();
    t.reporter.finish();
    const written = t.writes.length;
    vi.advanceTimersByTime(5000);
    expect(t.writes).toHaveLength(written);
    expect(t.screen()).toEqual([
      '  ? create gce.network/demo: still running when hakoc stopped after 1m05s; the next run checks it',
    ]);
  });

  it('reports the steps in flight of an interrupted run as unknown, then how to resume', () => {
    const t = terminal({ env: { NO_COLOR: '1' } });
    t.reporter.onEvent({ type: 'resource.start', step: step('demo') });
    t.reporter.note('Interrupted: no new steps will start.');
    elapse(t.clock, 2000);
    t.reporter.onEvent({
      type: 'apply.finished',
      operation: 'apply',
      totals: { done: 0, failed: 0, notStarted: 3, unknown: 1, unchanged: 0 },
      aborted: true,
      durationMs: 2000,
    });
    t.reporter.finish();
    expect(t.screen()).toEqual([
      'Interrupted: no new steps will start.',
      '  ? create gce.network/demo: outcome unknown after 2s; the next run checks it',
      '! Apply interrupted after 2.0s: 0 created, 0 updated, 0 replaced, 0 deleted, 0 failed; 1 in flight, outcome unknown, 3 not started',
      '  Run the same command again to resume: hakoc plans from what exists, so finished steps are not repeated.',
    ]);
  });
});
