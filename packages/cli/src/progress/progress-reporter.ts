import type { EngineEvent } from '@hakoc/core';
import type { CliIo } from '../cli-io.js';
import { createJsonReporter } from './json-reporter.js';
import { createLineReporter } from './line-reporter.js';
import { createLiveReporter } from './live-reporter.js';
import { progressModeFor } from './progress-mode.js';

/** The size of the terminal stderr is shown in, in character cells. */
export interface TerminalSize {
  /** Cells per line. */
  readonly columns: number;
  /** Lines on the screen. */
  readonly rows: number;
}

/** Options of {@link createProgressReporter}. */
export interface ProgressOptions {
  /**
   * Print each event as one JSON object per line instead of text (`--json`).
   * @default false
   */
  readonly json?: boolean;
  /**
   * The clock, in milliseconds; tests pass a fake one.
   * @default Date.now
   */
  readonly now?: () => number;
  /**
   * The terminal's size, read at every redraw so a resized window is followed. Only live mode
   * uses it: lines longer than the terminal would wrap and break redrawing in place.
   * @default process.stderr's columns and rows, or 80 × 24
   */
  readonly terminalSize?: () => TerminalSize;
}

/**
 * Shows an engine run's progress on stderr. Pass {@link ProgressReporter.onEvent} as the
 * engine's `onEvent`, and call {@link ProgressReporter.finish} once the run is over, whether it
 * succeeded, failed or threw.
 */
export interface ProgressReporter {
  /** Shows one engine event. */
  readonly onEvent: (event: EngineEvent) => void;
  /**
   * Shows a message of the command's own (an interruption, say) in step with the progress:
   * above the live lines in a terminal, as a `{"type":"cli.notice"}` object with `--json`.
   */
  readonly note: (message: string) => void;
  /**
   * Stops redrawing, reports steps that never finished and leaves the cursor below the output.
   * Safe to call more than once.
   */
  readonly finish: () => void;
}

/**
 * Creates the progress display that suits where stderr goes (see {@link progressModeFor}): live
 * lines redrawn in place in a terminal; one plain line per event in CI, in a pipe or on a dumb
 * terminal; one JSON object per event with `json`. Everything goes to stderr, so stdout keeps
 * only the command's result.
 */
export function createProgressReporter(io: CliIo, options: ProgressOptions = {}): ProgressReporter {
  const now = options.now ?? Date.now;
  switch (progressModeFor(io, options.json ?? false)) {
    case 'json':
      return createJsonReporter(io);
    case 'lines':
      return createLineReporter(io, now);
    case 'live':
      return createLiveReporter(io, now, options.terminalSize ?? processTerminalSize);
  }
}

/** The real terminal's size. Live mode only runs when stderr is a terminal, so it has one. */
function processTerminalSize(): TerminalSize {
  return { columns: process.stderr.columns ?? 80, rows: process.stderr.rows ?? 24 };
}
