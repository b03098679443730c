import { type CliIo, paletteFor } from '../cli-io.js';
import { createApplyTally, summaryLines } from './apply-tally.js';
import { describeEvent } from './describe-event.js';
import type { ProgressReporter } from './progress-reporter.js';

/**
 * Progress for CI logs and pipes: one line per event, written as it happens and never
 * rewritten, each stamped with the time since the command started so a stalled step shows up
 * in a log read afterwards.
 */
export function createLineReporter(io: CliIo, now: () => number): ProgressReporter {
  const palette = paletteFor(io);
  const started = now();
  const tally = createApplyTally();
  const stamp = (): string => palette.dim(`[${clock(now() - started)}]`);
  const print = (text: string): void => {
    const prefix = stamp();
    io.stderr(
      `${text
        .split('\n')
        .map((line) => `${prefix} ${line}`)
        .join('\n')}\n`,
    );
  };
  return {
    onEvent(event) {
      tally.record(event);
      const text =
        event.type === 'apply.finished'
          ? summaryLines(event, tally.counts, now() - started, palette).join('\n')
          : describeEvent(event, palette);
      if (text !== undefined) print(text);
    },
    note: print,
    finish: () => {},
  };
}

/** `mm:ss`, or `h:mm:ss` past an hour. */
function clock(ms: number): string {
  const seconds = Math.floor(Math.max(0, ms) / 1000);
  const mmss = `${pad(Math.floor(seconds / 60) % 60)}:${pad(seconds % 60)}`;
  return seconds < 3600 ? mmss : `${Math.floor(seconds / 3600)}:${mmss}`;
}

const pad = (value: number): string => String(value).padStart(2, '0');
