import { spawn } from 'node:child_process';
import { LineSplitter } from './line-splitter.js';
import { errorExits, parseMachineReadableLine, type VagrantRecord } from './machine-readable.js';
import { VagrantError, type VagrantErrorDetails, type VagrantFailure } from './vagrant-error.js';

/** One line of output from a running `vagrant`, as it arrives. */
export interface VagrantProgress {
  /** The stream the line came from. */
  readonly stream: 'stdout' | 'stderr';
  /** The line, without its newline. */
  readonly line: string;
  /** The line parsed, when it is a machine-readable record. */
  readonly record: VagrantRecord | undefined;
}

/** Options of one `vagrant` run. */
export interface VagrantRunOptions {
  /** Stops the run: SIGINT to Vagrant (its graceful stop), SIGKILL after the grace period. */
  readonly signal?: AbortSignal;
  /** Longest the run may take before it is stopped like an abort. @default per command */
  readonly timeoutMs?: number;
  /** Called once per output line. An error thrown here stops the run and fails it. */
  readonly onProgress?: (progress: VagrantProgress) => void;
}

/** How to start `vagrant`: the same for every run of one project. */
export interface VagrantProcessOptions {
  /** The project directory (where the Vagrantfile is). */
  readonly cwd: string;
  /** The program to run. @default 'vagrant' */
  readonly binary?: string;
  /** Variables added to the inherited environment, for example `VAGRANT_DEFAULT_PROVIDER`. */
  readonly env?: Readonly<Record<string, string>>;
  /**
   * Time between SIGINT and SIGKILL when a run is stopped, and the longest wait for output
   * after the process exits.
   * @default 10_000
   */
  readonly killGraceMs?: number;
}

/** A finished, successful `vagrant` run. */
export interface VagrantRunResult {
  /** The command as run, binary first. */
  readonly command: readonly string[];
  /** Always 0: other exits throw. */
  readonly exitCode: number;
  /** Every machine-readable record, in order. */
  readonly records: readonly VagrantRecord[];
  /** Standard error, up to its last 64 KiB. */
  readonly stderr: string;
}

const STDERR_LIMIT = 64 * 1024;
const DEFAULT_TIMEOUT_MS = 120_000;

/**
 * Runs `vagrant ARGS --machine-readable` in the project directory, directly (no shell, so no
 * quoting and nothing of the arguments is interpreted), with standard input closed so a
 * prompt fails instead of waiting forever.
 *
 * Every wait is bounded: the run by `timeoutMs`, the stop by `killGraceMs` between SIGINT and
 * SIGKILL, and the output after exit by `killGraceMs` again (a grandchild such as an SSH
 * multiplexer may hold the pipes open). Signals go to Vagrant's process group, as a terminal's
 * Ctrl-C would, so the hypervisor tools it started stop with it. Vagrant runs in a process
 * group of its own, so a Ctrl-C in the caller's terminal does not reach it by itself: a
 * command-line program passes a `signal` it aborts on SIGINT, and the stop stays orderly.
 *
 * @throws VagrantError when the run fails, times out, is aborted or cannot start
 */
export function runVagrant(
  args: readonly string[],
  project: VagrantProcessOptions,
  options: VagrantRunOptions = {},
): Promise<VagrantRunResult> {
  const binary = project.binary ?? 'vagrant';
  const command = [binary, ...args, '--machine-readable'];
  const graceMs = project.killGraceMs ?? 10_000;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const name = command.join(' ');
  const fail = (
    failure: VagrantFailure,
    message: string,
    extra: Partial<VagrantErrorDetails> = {},
  ) => new VagrantError(message, { failure, command, exitCode: null, errorText: '', ...extra });

  if (options.signal?.aborted) {
    return Promise.reject(
      fail('aborted', `${name} was aborted before it started`, { cause: options.signal.reason }),
    );
  }

  return new Promise((resolve, reject) => {
    const records: VagrantRecord[] = [];
    let stderr = '';
    let stopReason:
      | { failure: 'timeout' | 'aborted' | 'failed'; why: string; cause?: unknown }
      | undefined;
    let settled = false;
    const timers: NodeJS.Timeout[] = [];

    const child = spawn(binary, command.slice(1), {
      cwd: project.cwd,
      env: { ...process.env, ...project.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group, so a stop reaches the tools Vagrant started too.
      detached: true,
    });

    const signalGroup = (which: NodeJS.Signals) => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, which);
      } catch {
        // The group is gone already: nothing left to stop.
      }
    };
    const stop = (reason: NonNullable<typeof stopReason>) => {
      if (stopReason !== undefined || settled) return;
      stopReason = reason;
      signalGroup('SIGINT');
      timers.push(setTimeout(() => signalGroup('SIGKILL'), graceMs));
      // SIGKILL cannot be ignored; this only guards against a process that never reports back.
      timers.push(setTimeout(() => finish(null), 3 * graceMs));
    };
    const onLine = (stream: 'stdout' | 'stderr') => (line: string) => {
      const record = stream === 'stdout' ? parseMachineReadableLine(line) : undefined;
      if (record !== undefined) records.push(record);
      if (stream === 'stderr') stderr = `${stderr}${line}\n`.slice(-STDERR_LIMIT);
      try {
        options.onProgress?.({ stream, line, record });
      } catch (cause) {
        stop({ failure: 'failed', why: 'a progress callback threw', cause });
      }
    };
    const out = new LineSplitter(onLine('stdout'));
    const err = new LineSplitter(onLine('stderr'));
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));

    const onAbort = () =>
      stop({ failure: 'aborted', why: 'aborted', cause: options.signal?.reason });
    options.signal?.addEventListener('abort', onAbort, { once: true });
    timers.push(
      setTimeout(
        () => stop({ failure: 'timeout', why: `did not finish within ${timeoutMs} ms` }),
        timeoutMs,
      ),
    );

    const cleanUp = () => {
      for (const timer of timers) clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      child.stdout.destroy();
      child.stderr.destroy();
    };

    function finish(exitCode: number | null): void {
      if (settled) return;
      settled = true;
      out.end();
      err.end();
      cleanUp();
      // Vagrant's own words when it left any (it also reports an interrupt as error-exit),
      // else what it printed before it could speak machine-readable.
      const [exit] = errorExits(records);
      const errorText = exit?.message.trim() || stderr.trim();
      if (stopReason !== undefined) {
        const { failure, why, cause } = stopReason;
        reject(fail(failure, `${name} ${why}`, { exitCode, errorText, cause }));
      } else if (exitCode !== 0) {
        reject(
          fail(
            'failed',
            `${name} failed (exit ${exitCode ?? 'by signal'}): ${errorText || 'no error text'}`,
            {
              exitCode,
              errorText,
              ...(exit === undefined ? {} : { errorType: exit.errorType }),
            },
          ),
        );
      } else {
        resolve({ command, exitCode, records, stderr });
      }
    }

    child.on('error', (cause: NodeJS.ErrnoException) => {
      if (settled) return;
      if (cause.code === 'ENOENT') {
        settled = true;
        cleanUp();
        reject(
          fail('not-found', `${binary} was not found`, {
            cause,
            hint: 'Install Vagrant (2.2 or newer) and put it on PATH, or pass its path as `binary`.',
          }),
        );
      } else {
        stop({ failure: 'failed', why: `failed: ${cause.message}`, cause });
      }
    });
    // Output may still be in the pipes after the exit; wait for them to close, not forever.
    child.on('exit', (code) => {
      if (!settled) timers.push(setTimeout(() => finish(code), graceMs));
    });
    child.on('close', (code) => finish(code));
  });
}
