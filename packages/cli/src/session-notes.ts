import type { CommandContext } from './command-context.js';

/**
 * A message a session prints before any progress is shown: a plain dimmed line, or with
 * `--json` one JSON object per line (`event`), so stderr stays parsable line by line.
 */
export function writeSessionNote(
  ctx: CommandContext,
  json: boolean,
  text: string,
  event: { readonly type: `cli.${string}` } & Readonly<Record<string, unknown>>,
): void {
  ctx.io.stderr(json ? `${JSON.stringify(event)}\n` : `${ctx.palette.dim(text)}\n`);
}
