/**
 * `@hakoc/cli`: the `hakoc` command. Embed it with {@link runCli}; the `hakoc` bin is a thin
 * wrapper around it.
 *
 * @packageDocumentation
 */
export { type CliIo, type Palette, paletteFor, processIo } from './cli-io.js';
export { ExitCode } from './exit-codes.js';
export { runCli } from './run-cli.js';
