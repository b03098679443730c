import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A private tmux server whose windows are real pseudo-terminals a test types into and reads. */
export interface Terminal {
  /** Runs `command` (argv) in a new 120×40 window named `name`, in `cwd`, with `env` added. */
  start(name: string, cwd: string, env: Record<string, string>, command: string[]): Promise<void>;
  /** Sends keys as tmux `send-keys` names them (`y`, `Enter`, `C-c`). */
  keys(name: string, ...keys: string[]): Promise<void>;
  /** What the window shows now. */
  screen(name: string): Promise<string>;
  /** Polls the window until `done` holds, for at most `timeoutMs`; returns the last screen. */
  waitFor(name: string, done: (screen: string) => boolean, timeoutMs?: number): Promise<string>;
  /** The exit status the command printed as it ended (`exit N`). */
  exitStatus(name: string): Promise<number>;
  /** Stops the server and removes its socket. */
  close(): Promise<void>;
}

/** Starts a tmux server on its own socket: the user's sessions are never touched. */
export async function startTerminal(socket: string): Promise<Terminal> {
  const tmux = async (...args: string[]) =>
    (await run('tmux', ['-L', socket, '-f', '/dev/null', ...args], { timeout: 10_000 })).stdout;
  await tmux('new-session', '-d', '-s', 'keepalive', 'sleep 600');
  // A finished command's window stays on screen for the assertions.
  await tmux('set-option', '-g', 'remain-on-exit', 'on');
  const screen = (name: string) => tmux('capture-pane', '-p', '-J', '-t', name);
  const waitFor = async (name: string, done: (text: string) => boolean, timeoutMs = 60_000) => {
    const deadline = Date.now() + timeoutMs;
    let text = await screen(name);
    while (!done(text)) {
      if (Date.now() > deadline) {
        throw new Error(`timed out after ${timeoutMs} ms; the window shows:\n${text}`);
      }
      await sleep(100);
      text = await screen(name);
    }
    return text;
  };
  return {
    async start(name, cwd, env, command) {
      const quoted = command.map((word) => `'${word.replaceAll("'", `'\\''`)}'`).join(' ');
      await tmux(
        ...['new-session', '-d', '-s', name, '-x', '120', '-y', '40', '-c', cwd],
        // CI or NO_COLOR in the test's own environment would change what the command shows.
        ...['env', '-u', 'CI', '-u', 'NO_COLOR', 'TERM=tmux-256color'],
        ...Object.entries(env).map(([key, value]) => `${key}=${value}`),
        ...['sh', '-c', `${quoted}; echo "exit $?"`],
      );
    },
    async keys(name, ...keys) {
      await tmux('send-keys', '-t', name, ...keys);
    },
    screen,
    waitFor,
    async exitStatus(name) {
      const text = await waitFor(name, (shown) => /^exit \d+$/m.test(shown));
      return Number(/^exit (\d+)$/m.exec(text)?.[1]);
    },
    async close() {
      await tmux('kill-server').catch(() => undefined);
      // tmux leaves its socket file behind; one per test run would pile up.
      const uid = process.getuid?.() ?? 0;
      rmSync(join(process.env.TMUX_TMPDIR ?? '/tmp', `tmux-${uid}`, socket), { force: true });
    },
  };
}
