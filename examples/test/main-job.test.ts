import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// `npm start`'s job, run as the README's first command runs it (after the build that
// `npm test` has already done): twice, the second time finding the first run's cluster.
const root = new URL('../..', import.meta.url).pathname;
const out = mkdtempSync(join(tmpdir(), 'hakoc-main-job-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

function mainJob() {
  const result = spawnSync(process.execPath, [join(root, 'scripts/main-job.mjs')], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, HAKOC_OUT: out, HAKOC_PASSPHRASE: 'main job test passphrase', CI: '1' },
    timeout: 120_000,
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe('the main job (npm start)', () => {
  it('applies the example HA cluster to the emulator, then finds nothing to change', () => {
    const first = mainJob();
    expect(first.status, first.output).toBe(0);
    expect(first.output).toMatch(
      /Applied in \S+: 26 created, 0 updated, 0 replaced, 0 deleted, 0 failed/,
    );
    expect(existsSync(join(out, 'gce-emulator.json'))).toBe(true);
    expect(readFileSync(join(out, 'pki', 'ca.key'), 'utf8')).toContain('ENCRYPTED PRIVATE KEY');
    expect(statSync(join(out, 'kubeconfig')).mode & 0o777).toBe(0o600);
    expect(first.output).not.toContain('main job test passphrase');

    const second = mainJob();
    expect(second.status, second.output).toBe(0);
    expect(second.output).toContain('No changes.');
    expect(second.output).toMatch(/Applied in \S+: 0 created, 0 updated, 0 replaced, 0 deleted/);
    expect(second.output).toContain('nothing to change');
  });
});
