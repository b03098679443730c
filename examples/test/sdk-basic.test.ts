import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeStandInSysextPins } from '@hakoc/core/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { runExample } from './run-example.ts';

const out = mkdtempSync(join(tmpdir(), 'hakoc-sdk-basic-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

interface Ignition {
  readonly storage: {
    readonly files: { readonly path: string; readonly contents?: { readonly source?: string } }[];
  };
}

// The Ignition config on an instance's `user-data` metadata key, from the emulator's state file.
function userDataOf(instance: string): Ignition {
  const world = JSON.parse(readFileSync(join(out, 'gce-emulator.json'), 'utf8')) as {
    resources: Record<string, { metadata?: { items?: { key: string; value: string }[] } }>;
  };
  const found = Object.entries(world.resources).find(([path]) =>
    path.endsWith(`/instances/${instance}`),
  );
  const value = found?.[1].metadata?.items?.find((item) => item.key === 'user-data')?.value;
  if (value === undefined) throw new Error(`no user-data on ${instance}`);
  return JSON.parse(value) as Ignition;
}

function bootFile(config: Ignition, path: string): string {
  const source = config.storage.files.find((file) => file.path === path)?.contents?.source ?? '';
  const [, base64 = ''] = /^data:;base64,(.*)$/.exec(source) ?? [];
  return Buffer.from(base64, 'base64').toString('utf8');
}

describe('node examples/sdk-basic.ts', { timeout: 120_000 }, () => {
  it('plans and applies the example HA cluster on its emulator, then finds nothing to change', async () => {
    await writeStandInSysextPins(join(out, 'pki'));
    const env = { HAKOC_PASSPHRASE: 'sdk-basic test passphrase' };
    const first = await runExample('sdk-basic', [out], env);
    expect(first.status, first.stderr).toBe(0);
    const [, creates = '0'] =
      /^plan: (\d+) to create, 0 to update, 0 to replace, 0 to delete$/m.exec(first.stdout) ?? [];
    expect(Number(creates)).toBeGreaterThan(0);
    // One line per finished step, from the typed resource.done events.
    const done = first.stdout.match(/^ {2}create \S+ \(\d+ ms\)$/gm) ?? [];
    expect(done).toHaveLength(Number(creates));
    expect(done.some((line) => line.includes(' gce.etcdMember/demo-etcd-1 '))).toBe(true);
    expect(first.stdout).toContain(`applied: ${creates} done, 0 failed`);
    expect(first.stdout).toMatch(
      /^API server: https:\/\/api\.k8s\.example\.com:6443 at \d+\.\d+\.\d+\.\d+$/m,
    );
    expect(first.stdout).toMatch(
      /^etcd: demo-etcd-0 10\.240\.\S+, demo-etcd-1 \S+, demo-etcd-2 \S+$/m,
    );
    // The real boot configs went to the machines: each etcd member's holds its own certificate.
    const certificate = readFileSync(join(out, 'pki/etcd/demo-etcd-1/server.crt'), 'utf8');
    expect(bootFile(userDataOf('demo-etcd-1'), '/etc/etcd/pki/server.crt')).toBe(certificate);
    expect(readFileSync(join(out, 'pki', 'ca.key'), 'utf8')).toContain('ENCRYPTED PRIVATE KEY');

    const second = await runExample('sdk-basic', [out], env);
    expect(second.status, second.stderr).toBe(0);
    expect(second.stdout).toContain('plan: 0 to create, 0 to update, 0 to replace, 0 to delete');
    expect(second.stdout).toContain('applied: 0 done, 0 failed');
    expect(`${first.stdout}${first.stderr}${second.stdout}`).not.toContain(
      'sdk-basic test passphrase',
    );
  });
});
