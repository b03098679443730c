import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeStandInSysextPins } from '@hakoc/core/testing';
import { type GceEmulator, startGceEmulator } from '@hakoc/provider-gce/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runExample } from './run-example.ts';

// The README's SDK example (examples/quick-start.ts, which docs.test.ts keeps identical to the
// README), run from a fresh folder holding examples/gce.yaml, against an emulator pointed at with
// HAKOC_GCE_ENDPOINT as the example's comment says.
const dir = mkdtempSync(join(tmpdir(), 'hakoc-quick-start-'));
let emulator: GceEmulator;

beforeAll(async () => {
  emulator = await startGceEmulator({
    latencyScale: 0.001,
    quotas: { region: { IN_USE_ADDRESSES: 64, CPUS: 96 } },
    dnsZones: [{ name: 'example-com', dnsName: 'k8s.example.com.' }],
  });
  mkdirSync(join(dir, 'examples'));
  cpSync(new URL('../gce.yaml', import.meta.url), join(dir, 'examples', 'gce.yaml'));
  await writeStandInSysextPins(join(dir, '.hakoc', 'demo', 'pki'));
});
afterAll(async () => {
  await emulator.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the README example (examples/quick-start.ts)', { timeout: 120_000 }, () => {
  it('creates the example cluster in the emulator, then finds nothing to change', async () => {
    const env = {
      HAKOC_GCE_ENDPOINT: emulator.url,
      HAKOC_GCE_REQUESTS_PER_SECOND: '0',
      HAKOC_PASSPHRASE: 'quick start test passphrase',
    };
    const first = await runExample('quick-start', [], env, dir);
    expect(first.status, first.stderr).toBe(0);
    const created = first.stdout.match(/^create \S+$/gm) ?? [];
    expect(created.length).toBeGreaterThan(0);
    expect(created).toContain('create gce.etcdMember/demo-etcd-2');
    expect(first.stdout).toContain(
      `${created.length} changes; API at https://api.k8s.example.com:6443`,
    );
    // The spec's key store (spec.keyStore.dir, by default .hakoc/<name>/pki), as hakoc uses it.
    const caKey = readFileSync(join(dir, '.hakoc', 'demo', 'pki', 'ca.key'), 'utf8');
    expect(caKey).toContain('ENCRYPTED PRIVATE KEY');
    expect(emulator.resources(/\/instances\/demo-etcd-0$/)).toHaveLength(1);

    const second = await runExample('quick-start', [], env, dir);
    expect(second.status, second.stderr).toBe(0);
    expect(second.stdout.trim()).toBe('0 changes; API at https://api.k8s.example.com:6443');
  });
});
