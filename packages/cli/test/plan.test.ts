import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_KUBERNETES_VERSION } from '@hakoc/core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../src/run-cli.js';
import {
  type ClusterFixture,
  clusterFixture,
  jsonLines,
  type SysextRelease,
  startSysextRelease,
} from './support/cluster-fixture.js';

// `hakoc plan` on a copy of examples/gce.yaml whose sysext release is served on loopback: the
// plan renders the real boot configs, so it creates the key store on first use and pins the
// download once.
describe('hakoc plan', () => {
  let release: SysextRelease;
  let cluster: ClusterFixture;
  beforeAll(async () => {
    release = await startSysextRelease(DEFAULT_KUBERNETES_VERSION);
  });
  afterAll(() => release.close());
  beforeEach(() => {
    cluster = clusterFixture('gce', release.baseUrl);
  });
  afterEach(() => cluster.remove());

  it('shows what an empty project needs, and exits 2 with --detailed-exitcode', async () => {
    const io = cluster.io();
    const args = ['plan', cluster.spec, '--emulator-state', 'world.json', '--detailed-exitcode'];
    expect(await runCli(args, io)).toBe(2);
    expect(io.out()).toContain('+  gce.etcdMember');
    const creates = io
      .out()
      .split('\n')
      .filter((line) => line.startsWith('+  ')).length;
    expect(creates).toBeGreaterThan(20);
    expect(io.out()).toContain(`${creates} to create, 0 to update, 0 to replace, 0 to delete`);
    // The first plan made the key store (by the spec's default, under the working directory)
    // and pinned the sysext beside it; a second plan reads both and fetches nothing.
    expect(io.err()).toMatch(/key store .*\.hakoc\/demo\/pki: \d+ keys, certificates or tokens/);
    expect(readFileSync(join(cluster.keyStore, 'ca.key'), 'utf8')).toContain('ENCRYPTED');
    expect(existsSync(join(cluster.keyStore, '..', 'pins.json'))).toBe(true);
    const again = cluster.io();
    expect(await runCli(args, again)).toBe(2);
    expect(again.err()).not.toContain('key store');
    expect(release.fetches()).toBe(1);
  });

  it('prints the plan document with --json, every stderr line a JSON event', async () => {
    const io = cluster.io();
    expect(await runCli(['plan', cluster.spec, '--emulator', '--json'], io)).toBe(0);
    const document = JSON.parse(io.out()) as { provider: string; summary: { create: number } };
    expect(document.provider).toBe('gce');
    expect(document.summary.create).toBeGreaterThan(20);
    // Plans carry no boot config: they hold keys.
    expect(io.out()).not.toContain('ignition');
    const events = jsonLines(io.err());
    expect(events[0]).toMatchObject({
      type: 'cli.emulator',
      url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
    });
    expect(events.map((event) => event.type)).toContain('plan.finished');
    expect(events).toContainEqual({
      type: 'cli.notice',
      message: expect.stringMatching(/^key store .*: \d+ keys, certificates or tokens issued$/),
    });
  });

  it('saves the plan with --out', async () => {
    const io = cluster.io();
    const out = join(cluster.dir, 'plan.json');
    expect(await runCli(['plan', cluster.spec, '--emulator', '--out', out], io)).toBe(0);
    const saved = JSON.parse(readFileSync(out, 'utf8')) as { spec: string; plan: unknown };
    expect(saved.spec).toBe('cluster.yaml');
    expect(JSON.stringify(saved.plan)).not.toContain('ignition');
  });

  it('uses the key store named by --dir, and needs its passphrase', async () => {
    const io = cluster.io();
    const args = ['plan', cluster.spec, '--emulator', '--dir', 'secrets/pki'];
    expect(await runCli(args, io)).toBe(0);
    expect(existsSync(join(cluster.dir, 'secrets/pki/ca.crt'))).toBe(true);
    expect(existsSync(cluster.keyStore)).toBe(false);

    const withoutPassphrase = cluster.io({ HAKOC_PASSPHRASE: undefined });
    expect(await runCli(args, withoutPassphrase)).toBe(1);
    expect(withoutPassphrase.err()).toContain('HAKOC_PASSPHRASE is not set');
    const wrong = cluster.io({ HAKOC_PASSPHRASE: 'not the passphrase' });
    expect(await runCli(args, wrong)).toBe(1);
    expect(wrong.err()).toContain('HAKOC_KEYSTORE_PASSPHRASE');
  });
});
