import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

/** What an example printed and how it ended. */
export interface ExampleRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

const examples = new URL('..', import.meta.url).pathname;

/**
 * Runs `node examples/NAME.ts ARGS` as a user would after `npm run build`: Node 22 strips the
 * types, and `@hakoc/*` resolve to the built packages through the workspace's node_modules.
 */
export function runExample(
  name: string,
  args: readonly string[],
  env: Readonly<Record<string, string>> = {},
): ExampleRun {
  const result = spawnSync(process.execPath, [join(examples, `${name}.ts`), ...args], {
    cwd: join(examples, '..'),
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: 120_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
