import { runCli } from '@hakoc/cli';
import { type GceEmulator, startGceEmulator } from '@hakoc/provider-gce/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonLines, sharedClusterFixture } from './support/cluster-fixture.js';

// `hakoc plan` of the example cluster (workers 2–10) in a project whose quotas hold it as
// created but not with every worker its autoscaler may add: the plan goes ahead and says so.
// The provider finds the emulator through HAKOC_GCE_ENDPOINT, as a user's shell would set it.

const cluster = sharedClusterFixture('gce');
const savedEnv = {
  HAKOC_GCE_ENDPOINT: process.env.HAKOC_GCE_ENDPOINT,
  HAKOC_GCE_REQUESTS_PER_SECOND: process.env.HAKOC_GCE_REQUESTS_PER_SECOND,
};
let emulator: GceEmulator | undefined;

beforeAll(async () => {
  emulator = await startGceEmulator({
    latencyScale: 0.001,
    // 3 e2-small etcd, 3 e2-standard-2 and 2 e2-standard-4 machines take 20 CPUs; ten workers, 52.
    quotas: { region: { CPUS: 30, IN_USE_ADDRESSES: 64, SSD_TOTAL_GB: 5000 } },
    dnsZones: [{ name: 'example-com', dnsName: 'example.com.' }],
  });
  process.env.HAKOC_GCE_ENDPOINT = emulator.url;
  process.env.HAKOC_GCE_REQUESTS_PER_SECOND = '0';
});

afterAll(async () => {
  for (const [key, value] of Object.entries(savedEnv)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  await emulator?.close();
});

const WARNING =
  "Quota CPUS in europe-west1 holds the cluster with 2 workers but not the autoscaler's maximum of 10: that needs 52, 30 available (limit 30).";

describe('hakoc plan with a quota that holds the cluster but not its maximum', () => {
  it('plans (exit 0) and prints the warning below the summary', async () => {
    const io = cluster.io();
    expect(await runCli(['plan', cluster.spec], io)).toBe(0);
    const lines = io.out().trimEnd().split('\n');
    expect(lines.at(-2)).toMatch(/^\d+ to create, 0 to update/);
    expect(lines.at(-1)).toContain(`warning: ${WARNING}`);
  });

  it('puts it in the plan document with --json, stderr still JSON lines', async () => {
    const io = cluster.io();
    expect(await runCli(['plan', cluster.spec, '--json'], io)).toBe(0);
    const document = JSON.parse(io.out()) as { warnings?: string[] };
    expect(document.warnings).toEqual([expect.stringContaining(WARNING)]);
    expect(jsonLines(io.err()).length).toBeGreaterThan(0);
  });
});
