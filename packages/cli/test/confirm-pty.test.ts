import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_KUBERNETES_VERSION } from '@hakoc/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ClusterFixture,
  clusterFixture,
  FIXTURE_PASSPHRASE,
  type SysextRelease,
  startSysextRelease,
} from './support/cluster-fixture.js';
import { startTerminal, type Terminal } from './support/tmux.js';

// Approval in a real pseudo-terminal: the `hakoc` process (its sources, run by node) in a tmux
// window asks before apply and destroy; the test answers with keys and reads the window back.

const support = fileURLToPath(new URL('./support/', import.meta.url));
const hakoc = [
  process.execPath,
  ...['--import', join(support, 'source-loader.mjs'), '--conditions=@hakoc/source'],
  ...['--experimental-transform-types', '--no-warnings'],
  fileURLToPath(new URL('../src/bin.ts', import.meta.url)),
];

let release: SysextRelease;
let cluster: ClusterFixture;
let terminal: Terminal;
beforeAll(async () => {
  release = await startSysextRelease(DEFAULT_KUBERNETES_VERSION);
  cluster = clusterFixture('gce', release.baseUrl);
  terminal = await startTerminal(`hakoc-confirm-${process.pid}`);
});
afterAll(async () => {
  await terminal.close();
  cluster.remove();
  await release.close();
});

/** Starts `hakoc ...args` in window `name`, in the fixture's folder, with its passphrase. */
const start = (name: string, ...args: string[]) =>
  terminal.start(name, cluster.dir, { HAKOC_PASSPHRASE: FIXTURE_PASSPHRASE }, [...hakoc, ...args]);

const world = ['--emulator-state', 'world.json'];
const applyQuestion = /Apply these (\d+) changes to cluster demo\? \(y\/N\)/;

// Each test starts one or two hakoc processes from their TypeScript sources: seconds each.
const PROCESS_TIMEOUT_MS = 120_000;

describe('approval on a terminal', () => {
  it(
    'apply shows the plan and asks; Enter alone is no: nothing applied, exit 4',
    async () => {
      await start('apply-default', 'apply', 'cluster.yaml', ...world);
      const asked = await terminal.waitFor('apply-default', (screen) => applyQuestion.test(screen));
      expect(asked).toMatch(/^\+\s+gce\.etcdMember\s+demo-etcd-0/m);
      await terminal.keys('apply-default', 'Enter');
      expect(await terminal.exitStatus('apply-default')).toBe(4);
      const after = await terminal.screen('apply-default');
      expect(after).toContain('Nothing applied. (not approved)');
      expect(after).not.toContain('Applying demo');
    },
    PROCESS_TIMEOUT_MS,
  );

  it(
    'Ctrl-C at the question is a no as well',
    async () => {
      await start('apply-interrupt', 'apply', 'cluster.yaml', ...world);
      await terminal.waitFor('apply-interrupt', (screen) => applyQuestion.test(screen));
      await terminal.keys('apply-interrupt', 'C-c');
      expect(await terminal.exitStatus('apply-interrupt')).toBe(4);
      expect(await terminal.screen('apply-interrupt')).toContain('Nothing applied.');
    },
    PROCESS_TIMEOUT_MS,
  );

  it(
    'apply goes ahead on y, and then has nothing to ask',
    async () => {
      await start('apply-yes', 'apply', 'cluster.yaml', ...world);
      const asked = await terminal.waitFor('apply-yes', (screen) => applyQuestion.test(screen));
      const changes = Number(applyQuestion.exec(asked)?.[1]);
      await terminal.keys('apply-yes', 'y', 'Enter');
      expect(await terminal.exitStatus('apply-yes')).toBe(0);
      expect(await terminal.screen('apply-yes')).toContain(
        `: ${changes} created, 0 updated, 0 replaced, 0 deleted, 0 failed`,
      );

      await start('apply-again', 'apply', 'cluster.yaml', ...world);
      expect(await terminal.exitStatus('apply-again')).toBe(0);
      const again = await terminal.screen('apply-again');
      expect(again).toContain('No changes.');
      expect(again).not.toMatch(/\(y\/N\)/);
    },
    PROCESS_TIMEOUT_MS,
  );

  it(
    'destroy lists what it deletes per type and asks; y deletes it all',
    async () => {
      await start('destroy-no', 'destroy', 'cluster.yaml', ...world);
      const question =
        /Delete all (\d+) objects of cluster demo\? This cannot be undone\. \(y\/N\)/;
      const listed = await terminal.waitFor('destroy-no', (screen) => question.test(screen));
      expect(listed).toMatch(/Destroying demo on gce deletes \d+ objects:/);
      expect(listed).toMatch(/^gce\.etcdMember\s+3$/m);
      await terminal.keys('destroy-no', 'n', 'Enter');
      expect(await terminal.exitStatus('destroy-no')).toBe(4);
      expect(await terminal.screen('destroy-no')).toContain('Nothing destroyed. (not approved)');

      await start('destroy-yes', 'destroy', 'cluster.yaml', ...world);
      const asked = await terminal.waitFor('destroy-yes', (screen) => question.test(screen));
      const objects = Number(question.exec(asked)?.[1]);
      await terminal.keys('destroy-yes', 'y', 'Enter');
      expect(await terminal.exitStatus('destroy-yes')).toBe(0);
      expect(await terminal.screen('destroy-yes')).toContain(`${objects} deleted, 0 failed`);
    },
    PROCESS_TIMEOUT_MS,
  );
});
