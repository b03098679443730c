import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The live display in a real pseudo-terminal: tmux runs the driver (the real engine over the
// mock provider, reporting through createProgressReporter) in a 120×30 window, and the test
// reads the window back with capture-pane, as a person would see it.

const run = promisify(execFile);
const supportDir = fileURLToPath(new URL('./support/', import.meta.url));
/** A private tmux server: the user's own sessions are never touched. */
const socket = `hakoc-progress-${process.pid}`;
const tmux = async (...args: string[]): Promise<string> =>
  (await run('tmux', ['-L', socket, '-f', '/dev/null', ...args], { timeout: 10_000 })).stdout;

/** Starts the driver in its own session; `latencyMs` is how long each create takes. */
async function startDriver(session: string, latencyMs: number): Promise<void> {
  await tmux(
    ...['new-session', '-d', '-s', session, '-x', '120', '-y', '30', '-c', supportDir],
    // CI or NO_COLOR in the test's environment would change what the driver shows.
    ...['env', '-u', 'CI', '-u', 'NO_COLOR', 'TERM=tmux-256color', process.execPath],
    ...['--import', './source-loader.mjs', '--conditions=@hakoc/source'],
    ...['progress-driver.ts', String(latencyMs)],
  );
}

const screen = async (session: string): Promise<string> =>
  tmux('capture-pane', '-p', '-t', session);

/** Polls the window until `done` holds, for at most `timeoutMs`; returns the last screen. */
async function waitFor(
  session: string,
  done: (text: string) => boolean,
  timeoutMs = 15_000,
): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let text = await screen(session);
  while (!done(text)) {
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms; the window shows:\n${text}`);
    }
    await sleep(100);
    text = await screen(session);
  }
  return text;
}

/** The driver's exit status, which it prints as it exits. */
async function exitStatus(session: string): Promise<number> {
  const text = await waitFor(session, (screen) => /driver: exit \d+/.test(screen));
  return Number(/driver: exit (\d+)/.exec(text)?.[1]);
}

const liveLine = /^ {2}• create mock\.\w+\/[\w-]+ {2}\d+s/m;

beforeAll(async () => {
  await tmux('new-session', '-d', '-s', 'keepalive', 'sleep 600');
  // Keep a finished driver's window on screen for the assertions.
  await tmux('set-option', '-g', 'remain-on-exit', 'on');
});

afterAll(async () => {
  await tmux('kill-server').catch(() => undefined);
  // tmux leaves its socket file behind; one per test run would pile up.
  const uid = process.getuid?.() ?? 0;
  rmSync(join(process.env.TMUX_TMPDIR ?? '/tmp', `tmux-${uid}`, socket), { force: true });
});

describe('progress in a real terminal (tmux)', () => {
  it('renders a live line per running step, then only permanent lines and the summary', async () => {
    await startDriver('apply', 500);
    const during = await waitFor('apply', (text) => liveLine.test(text));
    expect(during).toContain('Applying demo: 7 changes');

    const after = await waitFor('apply', (text) => text.includes('driver: applied'));
    expect(await exitStatus('apply')).toBe(0);
    const lines = after.split('\n');
    expect(lines.filter((line) => line.startsWith('  ✓ created'))).toHaveLength(7);
    expect(after).toMatch(/↻ create mock\.instance\/etcd-1: attempt 1 failed \(rate-limited/);
    expect(after).toMatch(
      /✓ Applied in \d+\.\ds: 7 created, 0 updated, 0 replaced, 0 deleted, 0 failed/,
    );
    // Every live line was replaced in place: none is left, and nothing was printed twice.
    expect(after).not.toMatch(liveLine);
    expect(lines.filter((line) => line.includes('created mock.network/demo'))).toHaveLength(1);
  });

  it('stops cleanly on Ctrl-C: no new steps, those in flight reported, and how to resume', async () => {
    await startDriver('interrupt', 1200);
    await waitFor('interrupt', (text) => /• create mock\.instance\//.test(text));
    await tmux('send-keys', '-t', 'interrupt', 'C-c');
    const after = await waitFor('interrupt', (text) => text.includes('driver:'));
    expect(await exitStatus('interrupt')).toBe(1);
    expect(after).toContain('Interrupted: no new steps will start');
    expect(after).toMatch(/! Apply interrupted after/);
    expect(after).toContain('Run the same command again to resume');
    expect(after).toContain('driver: HAKOC_APPLY_ABORTED');
    expect(after).not.toMatch(liveLine);
    // The steps in flight ran to their end and were reported; none started after Ctrl-C.
    const finished = after.split('\n').filter((line) => line.startsWith('  ✓ created'));
    expect(finished.length).toBeGreaterThanOrEqual(2);
    expect(finished.length).toBeLessThanOrEqual(3);
    expect(after).toMatch(/\d+ not started/);
  });

  it('quits at once on a second Ctrl-C, with exit status 130 and how to resume', async () => {
    await startDriver('quit', 20_000);
    await waitFor('quit', (text) => text.includes('• create mock.network/demo'));
    await tmux('send-keys', '-t', 'quit', 'C-c');
    await waitFor('quit', (text) => text.includes('Interrupted: no new steps will start'));
    await tmux('send-keys', '-t', 'quit', 'C-c');
    expect(await exitStatus('quit')).toBe(130);
    const after = await screen('quit');
    expect(after).toContain('Stopped now');
    expect(after).toContain('Run the same command again to resume');
  });
});
