/**
 * `@hakoc/cli`: the `hakoc` command. Embed it with {@link runCli}; the `hakoc` bin is a thin
 * wrapper around it. Programs that call the engine themselves can show its progress the way
 * `hakoc` does with {@link createProgressReporter}, and stop it on Ctrl-C with
 * {@link withInterrupt}.
 *
 * @packageDocumentation
 */
export { type CliIo, type Palette, paletteFor, processIo } from './cli-io.js';
export { ExitCode } from './exit-codes.js';
export {
  createProgressReporter,
  type Interrupt,
  type InterruptOptions,
  interruptSignal,
  type ProgressMode,
  type ProgressOptions,
  type ProgressReporter,
  progressModeFor,
  type SignalSource,
  type TerminalSize,
  withInterrupt,
} from './progress/index.js';
export { runCli } from './run-cli.js';
