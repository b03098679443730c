import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '@hakoc/cli';
import { describe, expect, it } from 'vitest';
import { captureIo } from './capture-io.js';
import { jsonLines, sharedClusterFixture } from './support/cluster-fixture.js';
import { leaveStaleLock } from './support/gce-lock.js';
import { STALE_LOCK } from './support/stale-lock.js';

// With --json a pipeline reads stdout as one JSON document and stderr as JSON lines: nothing
// hakoc writes then may be plain text, the saved plan's path and the closing error included.

const cluster = sharedClusterFixture('gce');

/** The `cli.error` line a failed run ends with: the last stderr line, every line JSON. */
function closingError(err: string): Record<string, unknown> | undefined {
  const lines = jsonLines(err);
  const last = lines.at(-1);
  expect(lines.filter((line) => line.type === 'cli.error')).toHaveLength(1);
  return last;
}

describe('hakoc --json', () => {
  it('plan --out reports the saved plan as a cli.plan-saved event, not a line of text', async () => {
    const io = cluster.io();
    const args = ['plan', cluster.spec, '--emulator-state', cluster.world, '--json'];
    expect(await runCli([...args, '--out', 'saved-plan.json'], io)).toBe(0);
    const document = JSON.parse(io.out()) as { steps: unknown[] };
    expect(document.steps.length).toBeGreaterThan(0);
    const saved = jsonLines(io.err()).filter((event) => event.type === 'cli.plan-saved');
    const path = join(cluster.dir, 'saved-plan.json');
    expect(saved).toEqual([{ type: 'cli.plan-saved', path }]);
    expect(existsSync(path)).toBe(true);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ plan: document });
    expect(io.err()).not.toContain('plan saved to');

    const text = cluster.io();
    expect(
      await runCli(
        ['plan', cluster.spec, '--emulator-state', cluster.world, '--out', 'p.json'],
        text,
      ),
    ).toBe(0);
    expect(text.err()).toContain('plan saved to p.json');
  });

  it('ends a failed run with one cli.error line: code, message, hint, exit code', async () => {
    const args = ['plan', cluster.spec, '--emulator-state', cluster.world];
    const wrong = cluster.io({ HAKOC_PASSPHRASE: 'not the passphrase' });
    expect(await runCli([...args, '--json'], wrong)).toBe(1);
    expect(wrong.out()).toBe('');
    expect(closingError(wrong.err())).toMatchObject({
      type: 'cli.error',
      code: 'HAKOC_KEYSTORE_PASSPHRASE',
      message: expect.any(String),
      exitCode: 1,
    });
    expect(Object.keys(closingError(wrong.err()) ?? {}).sort()).toEqual(
      ['code', 'exitCode', 'hint', 'message', 'type'].sort(),
    );

    // Without --json the same failure reads as text.
    const text = cluster.io({ HAKOC_PASSPHRASE: 'not the passphrase' });
    expect(await runCli(args, text)).toBe(1);
    expect(text.err()).toMatch(/^error: .+ \[HAKOC_KEYSTORE_PASSPHRASE\]$/m);
  });

  it('gives a held lock’s exit code and lock-break hint in the cli.error line', async () => {
    await leaveStaleLock(cluster.spec, cluster.world, STALE_LOCK);
    const io = cluster.io();
    const args = ['apply', cluster.spec, '--emulator-state', cluster.world, '--auto-approve'];
    expect(await runCli([...args, '--json'], io)).toBe(5);
    const error = closingError(io.err());
    expect(error).toMatchObject({ type: 'cli.error', exitCode: 5 });
    expect(error?.message).toContain('Cluster "demo" is locked by build-agent-7:4242');
    expect(error?.hint).toContain(
      `hakoc lock break ${cluster.spec} --emulator-state ${cluster.world}`,
    );
    const broken = cluster.io();
    expect(
      await runCli(
        ['lock', 'break', cluster.spec, '--emulator-state', cluster.world, '--auto-approve'],
        broken,
      ),
    ).toBe(0);
  });

  it('reports a command-line mistake as a HAKOC_USAGE line, exit 2', async () => {
    const io = captureIo();
    expect(await runCli(['plan', 'cluster.yaml', '--json', '--no-such-option'], io)).toBe(2);
    expect(io.out()).toBe('');
    expect(closingError(io.err())).toMatchObject({
      type: 'cli.error',
      code: 'HAKOC_USAGE',
      message: expect.stringContaining('--no-such-option'),
      exitCode: 2,
    });
    const text = captureIo();
    expect(await runCli(['plan', 'cluster.yaml', '--no-such-option'], text)).toBe(2);
    expect(text.err()).toMatch(/^error: unknown option '--no-such-option'/);
  });
});
