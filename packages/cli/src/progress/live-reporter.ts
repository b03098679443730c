import type { EngineEvent, StepRef } from '@hakoc/core';
import { type CliIo, paletteFor } from '../cli-io.js';
import { createApplyTally, summaryLines } from './apply-tally.js';
import { describeEvent } from './describe-event.js';
import { fitLine } from './fit-line.js';
import { formatElapsed } from './format-duration.js';
import { createLiveRegion } from './live-region.js';
import type { ProgressReporter, TerminalSize } from './progress-reporter.js';
import { stepLabel } from './step-text.js';

/**
 * At most one redraw per this many milliseconds: an apply starting forty steps at once sends
 * forty events in a tick, and one redraw shows them all.
 */
const REDRAW_THROTTLE_MS = 100;
/** Elapsed times are shown in whole seconds, so a redraw a second keeps them current. */
const TICK_MS = 1000;

interface RunningStep {
  readonly step: StepRef;
  readonly startedAt: number;
  /** The provider's latest progress message, or the pending retry. */
  note?: string;
}

/**
 * Progress for a person at a terminal: a live line per running step with its elapsed time,
 * redrawn in place; finished steps, retries and everything else printed once above them; a
 * summary at the end.
 */
export function createLiveReporter(
  io: CliIo,
  now: () => number,
  terminalSize: () => TerminalSize,
): ProgressReporter {
  const palette = paletteFor(io);
  const started = now();
  const tally = createApplyTally();
  const region = createLiveRegion(io.stderr);
  const running = new Map<string, RunningStep>();
  let permanent: string[] = [];
  let cooling: NodeJS.Timeout | undefined;
  let dirty = false;
  let ticker: NodeJS.Timeout | undefined;
  let finished = false;

  const liveLines = (): string[] => {
    const { columns, rows } = terminalSize();
    const width = Math.max(20, columns - 1);
    // Lines that scrolled off the top cannot be reached by moving the cursor up.
    const room = Math.max(1, rows - 2);
    const steps = [...running.values()];
    const shown = steps.length > room ? steps.slice(0, room - 1) : steps;
    const lines = shown.map(({ step, startedAt, note }) =>
      fitLine(
        [
          ['  • ', palette.dim],
          [stepLabel(step)],
          [`  ${formatElapsed(now() - startedAt)}`, palette.dim],
          ...(note === undefined ? [] : [[`  ${note}`, palette.dim] as const]),
        ],
        width,
      ),
    );
    if (shown.length < steps.length) {
      lines.push(palette.dim(`  … and ${steps.length - shown.length} more running`));
    }
    return lines;
  };

  const draw = (): void => {
    region.update(permanent, liveLines());
    permanent = [];
  };

  // Leading and trailing throttle: the first change draws at once, later ones within the
  // window are drawn together when it closes.
  const request = (): void => {
    if (finished) {
      draw();
      return;
    }
    if (cooling !== undefined) {
      dirty = true;
      return;
    }
    draw();
    cooling = setTimeout(() => {
      cooling = undefined;
      if (!dirty) return;
      dirty = false;
      request();
    }, REDRAW_THROTTLE_MS);
    cooling.unref();
  };

  const startTicking = (): void => {
    if (ticker !== undefined || finished) return;
    ticker = setInterval(() => {
      if (running.size > 0) request();
    }, TICK_MS);
    // A forgotten finish() must not keep the process alive.
    ticker.unref();
  };

  /** Steps still running when the run ends: the engine does not know how they ended either. */
  const reportUnfinished = (why: string): void => {
    for (const { step, startedAt } of running.values()) {
      permanent.push(
        `  ${palette.warning('?')} ${stepLabel(step)}: ${why} after ${formatElapsed(now() - startedAt)}; the next run checks it`,
      );
    }
    running.clear();
  };

  const onEvent = (event: EngineEvent): void => {
    tally.record(event);
    switch (event.type) {
      case 'resource.start':
        running.set(event.step.id, { step: event.step, startedAt: now() });
        startTicking();
        break;
      case 'resource.progress': {
        const step = running.get(event.step.id);
        if (step !== undefined) step.note = event.message;
        break;
      }
      case 'resource.retry': {
        const step = running.get(event.step.id);
        if (step !== undefined) step.note = `attempt ${event.attempt + 1} (${event.reason})`;
        permanent.push(describeEvent(event, palette) ?? '');
        break;
      }
      case 'resource.done':
      case 'resource.failed':
        running.delete(event.step.id);
        permanent.push(describeEvent(event, palette) ?? '');
        break;
      case 'apply.finished':
        reportUnfinished('outcome unknown');
        permanent.push(...summaryLines(event, tally.counts, now() - started, palette));
        break;
      default:
        permanent.push(describeEvent(event, palette) ?? '');
    }
    request();
  };

  return {
    onEvent,
    // Drawn at once, not throttled: a note may be the last thing before the process exits.
    note(message) {
      permanent.push(message);
      draw();
    },
    finish() {
      if (finished) return;
      finished = true;
      clearTimeout(cooling);
      clearInterval(ticker);
      reportUnfinished('still running when hakoc stopped');
      draw();
    },
  };
}
