import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The outcome of a finished command. */
export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a program (no shell) and resolves with its exit code and output; bounded by `timeoutMs`. */
export function run(
  program: string,
  args: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    execFile(
      program,
      [...args],
      {
        cwd: options.cwd,
        env: options.env ?? process.env,
        timeout: options.timeoutMs ?? 30_000,
        encoding: 'utf8',
      },
      (error, stdout, stderr) => {
        if (error !== null && typeof error.code !== 'number') {
          reject(
            new Error(`${program} ${args.join(' ')} did not run: ${error.message}`, {
              cause: error,
            }),
          );
          return;
        }
        resolve({ code: error === null ? 0 : Number(error.code), stdout, stderr });
      },
    );
  });
}

/**
 * Fails (never skips) when a tool the tests need is missing: these tests exist to check our
 * output against the real tools, and a skipped check looks like a passed one.
 */
export async function requireTool(
  program: string,
  versionArgs: readonly string[],
): Promise<string> {
  try {
    const result = await run(program, versionArgs, { timeoutMs: 20_000 });
    return `${result.stdout}${result.stderr}`.trim();
  } catch (cause) {
    throw new Error(
      `${program} is required by this test and is not installed (install the Debian package)`,
      { cause },
    );
  }
}

/** A fresh private directory under the system temporary directory. */
export function makeTempDir(prefix = 'hakoc-vagrant-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

/** Removes a directory made by {@link makeTempDir}. */
export function removeTempDir(dir: string | undefined): Promise<void> {
  return dir === undefined ? Promise.resolve() : rm(dir, { recursive: true, force: true });
}
