import { spawn } from 'node:child_process';
import { join } from 'node:path';

/** What an example printed and how it ended. */
export interface ExampleRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

const examples = new URL('..', import.meta.url).pathname;

/**
 * Runs `node examples/NAME.ts ARGS` as a user would after `npm run build`, from the repository
 * root unless `cwd` says otherwise: Node 22 strips the types, and `@hakoc/*` resolve to the
 * built packages through the workspace's node_modules.
 * Asynchronous, so an emulator serving the example from the test's own process keeps running.
 */
export function runExample(
  name: string,
  args: readonly string[],
  env: Readonly<Record<string, string>> = {},
  cwd = join(examples, '..'),
): Promise<ExampleRun> {
  const child = spawn(process.execPath, [join(examples, `${name}.ts`), ...args], {
    cwd,
    env: { ...process.env, ...env },
    timeout: 120_000,
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}
