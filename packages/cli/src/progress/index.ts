/**
 * Progress of long engine runs on stderr — live lines in a terminal, plain lines in CI, JSON
 * lines with `--json` — and Ctrl-C turned into an abort signal.
 */
export {
  INTERRUPTED_EXIT_CODE,
  type Interrupt,
  type InterruptOptions,
  interruptSignal,
  type SignalSource,
  withInterrupt,
} from './interrupt.js';
export { type ProgressMode, progressModeFor } from './progress-mode.js';
export {
  createProgressReporter,
  type ProgressOptions,
  type ProgressReporter,
  type TerminalSize,
} from './progress-reporter.js';
export { RESUME_HINT } from './resume-hint.js';
