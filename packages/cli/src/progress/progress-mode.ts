import type { CliIo } from '../cli-io.js';

/**
 * How progress is shown: `live` redraws one line per running step in place (a person at a
 * terminal), `lines` prints one plain line per event (CI logs, pipes, dumb terminals), `json`
 * prints each event as one JSON object per line (programs).
 */
export type ProgressMode = 'live' | 'lines' | 'json';

/**
 * Picks the progress mode for where stderr goes. Live redrawing needs a terminal that moves the
 * cursor: not a pipe, not `TERM=dumb`, and not a CI runner, whose log viewers show every
 * redraw as a new line even when they allocate a pseudo-terminal.
 */
export function progressModeFor(io: CliIo, json: boolean): ProgressMode {
  if (json) return 'json';
  if (!io.interactive || isCi(io.env) || io.env.TERM === 'dumb') return 'lines';
  return 'live';
}

/** `CI` is set by GitHub Actions, GitLab, CircleCI, Buildkite and most others; `CI=false` opts out. */
function isCi(env: CliIo['env']): boolean {
  const value = env.CI;
  return value !== undefined && value !== '' && value !== 'false' && value !== '0';
}
