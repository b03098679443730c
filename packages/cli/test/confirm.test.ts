import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli } from '../src/run-cli.js';
import { jsonLines, sharedClusterFixture } from './support/cluster-fixture.js';

// Approval without a terminal (as in CI: refused, never waiting) and with one (the question
// answered in-process; confirm-pty.test.ts answers it in a real terminal).

const cluster = sharedClusterFixture('gce');

/** How many compute objects the emulator world holds. */
function computeObjects(): number {
  if (!existsSync(cluster.world)) return 0;
  const { resources } = JSON.parse(readFileSync(cluster.world, 'utf8')) as {
    resources: Record<string, unknown>;
  };
  return Object.keys(resources).filter(
    (path) => path.startsWith('projects/') && !path.includes('/operations/'),
  ).length;
}

/** An io whose terminal answers `answer` to every question, recording the questions. */
function answering(answer: boolean) {
  const questions: string[] = [];
  const io = cluster.io();
  return {
    questions,
    io: {
      ...io,
      confirm: async (question: string) => {
        questions.push(question);
        return answer;
      },
    },
    err: io.err,
  };
}

describe('approval', () => {
  it('apply without a terminal shows the plan, refuses with exit 4 and creates nothing', async () => {
    const io = cluster.io();
    expect(await runCli(['apply', cluster.spec, '--emulator-state', cluster.world], io)).toBe(4);
    expect(io.err()).toMatch(/^\+\s+gce\.network\s+demo/m);
    expect(io.err()).toContain(
      'Nothing applied. There is no terminal to ask for approval on. Re-run with --auto-approve',
    );
    expect(io.out()).toBe('');
    expect(computeObjects()).toBe(0);
  });

  it('with --json, the refusal is a JSON line like the rest of stderr', async () => {
    const io = cluster.io();
    const args = ['apply', cluster.spec, '--emulator-state', cluster.world, '--json'];
    expect(await runCli(args, io)).toBe(4);
    expect(jsonLines(io.err()).at(-1)).toEqual({
      type: 'cli.not-approved',
      reason: 'no-terminal',
      message: expect.stringContaining('Nothing applied. There is no terminal'),
    });
    expect(computeObjects()).toBe(0);
  });

  it('apply asks once, with the number of changes; no changes nothing', async () => {
    const declined = answering(false);
    expect(
      await runCli(['apply', cluster.spec, '--emulator-state', cluster.world], declined.io),
    ).toBe(4);
    expect(declined.questions).toHaveLength(1);
    expect(declined.questions[0]).toMatch(/^Apply these \d+ changes to cluster demo\?$/);
    expect(declined.err()).toContain('Nothing applied. (not approved)');
    expect(computeObjects()).toBe(0);

    const approved = answering(true);
    expect(
      await runCli(['apply', cluster.spec, '--emulator-state', cluster.world], approved.io),
    ).toBe(0);
    expect(approved.questions).toEqual(declined.questions);
    expect(computeObjects()).toBeGreaterThan(20);
  });

  it('destroy without a terminal refuses before reading anything (exit 4)', async () => {
    const io = cluster.io();
    expect(await runCli(['destroy', cluster.spec, '--emulator-state', cluster.world], io)).toBe(4);
    expect(io.err()).toContain('Nothing destroyed. There is no terminal to ask for approval on.');
    // Refused before the session opened: no emulator was started.
    expect(io.err()).not.toContain('GCE emulator at');
    expect(computeObjects()).toBeGreaterThan(20);
  });

  it('destroy asks with the number of objects; no keeps them all', async () => {
    const declined = answering(false);
    expect(
      await runCli(['destroy', cluster.spec, '--emulator-state', cluster.world], declined.io),
    ).toBe(4);
    expect(declined.questions).toEqual([
      expect.stringMatching(/^Delete all \d+ objects of cluster demo\? This cannot be undone\.$/),
    ]);
    expect(computeObjects()).toBeGreaterThan(20);
  });
});
