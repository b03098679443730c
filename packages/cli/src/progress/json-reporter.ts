import type { CliIo } from '../cli-io.js';
import { eventJsonLine } from './event-json.js';
import type { ProgressReporter } from './progress-reporter.js';

/** `--json` progress: every event as one JSON object per line, nothing else on stderr. */
export function createJsonReporter(io: CliIo): ProgressReporter {
  return {
    onEvent: (event) => io.stderr(eventJsonLine(event)),
    // A line of prose would break a reader that parses stderr line by line.
    note: (message) => io.stderr(`${JSON.stringify({ type: 'cli.notice', message })}\n`),
    finish: () => {},
  };
}
