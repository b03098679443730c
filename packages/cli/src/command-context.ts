import type { CliIo, Palette } from './cli-io.js';
import type { ExitCode } from './exit-codes.js';

/** What every command's action receives: where to write, how to style, how to report failure. */
export interface CommandContext {
  readonly io: CliIo;
  readonly palette: Palette;
  /** Records the exit code the process ends with (the worst one reported wins). */
  readonly exitWith: (code: ExitCode) => void;
}
