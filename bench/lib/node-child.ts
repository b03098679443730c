import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { REPO_ROOT } from './example-cluster.ts';

const run = promisify(execFile);

/** What a child Node process printed and how long it lived. */
export interface ChildRun<T> {
  /** The JSON of its last stdout line, or `undefined` when it printed none. */
  readonly value: T | undefined;
  /** From spawn to exit, as the parent saw it. */
  readonly wallMs: number;
  readonly stdout: string;
}

/** Options of {@link runNode}. */
export interface ChildOptions {
  /** Flags for Node itself (`--expose-gc`, `--import …`). @default [] */
  readonly nodeArgs?: readonly string[];
  /** Added to this process's environment. @default {} */
  readonly env?: Readonly<Record<string, string>>;
  /** @default 120_000 */
  readonly timeoutMs?: number;
}

/**
 * Runs a Node script (or `-e` code) under this Node, from the repository root, and reads the
 * JSON it prints last. A non-zero exit rejects with its stderr.
 */
export async function runNode<T>(
  args: readonly string[],
  options: ChildOptions = {},
): Promise<ChildRun<T>> {
  const started = performance.now();
  const { stdout } = await run(process.execPath, [...(options.nodeArgs ?? []), ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...options.env },
    timeout: options.timeoutMs ?? 120_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  const wallMs = performance.now() - started;
  const last = stdout.trim().split('\n').at(-1) ?? '';
  return { value: last.startsWith('{') ? (JSON.parse(last) as T) : undefined, wallMs, stdout };
}
