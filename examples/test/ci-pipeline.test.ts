import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PlanDocument } from '@hakoc/core';
import { writeStandInSysextPins } from '@hakoc/core/testing';
import type { GceOutputs } from '@hakoc/provider-gce';
import { type GceEmulator, startGceEmulator } from '@hakoc/provider-gce/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runExample } from './run-example.ts';

// The pipeline as CI would run it, against an emulator this test starts (HAKOC_GCE_ENDPOINT).
const dir = mkdtempSync(join(tmpdir(), 'hakoc-ci-pipeline-'));
const exampleSpec = readFileSync(new URL('../gce.yaml', import.meta.url), 'utf8');
let emulator: GceEmulator;

beforeAll(async () => {
  emulator = await startGceEmulator({
    latencyScale: 0.001,
    quotas: { region: { IN_USE_ADDRESSES: 64, CPUS: 96 } },
    dnsZones: [{ name: 'example-com', dnsName: 'k8s.example.com.' }],
  });
  await writeStandInSysextPins(join(dir, 'pki'));
});
afterAll(async () => {
  await emulator.close();
  rmSync(dir, { recursive: true, force: true });
});

async function pipeline(spec: string) {
  const specPath = join(dir, 'cluster.yaml');
  writeFileSync(specPath, spec);
  const planPath = join(dir, 'plan.json');
  rmSync(planPath, { force: true });
  const run = await runExample(
    'ci-pipeline',
    [specPath, '--plan-out', planPath, '--pki', join(dir, 'pki')],
    {
      HAKOC_GCE_ENDPOINT: emulator.url,
      HAKOC_GCE_REQUESTS_PER_SECOND: '0',
      HAKOC_PASSPHRASE: 'ci pipeline test passphrase',
    },
  );
  const plan = () => JSON.parse(readFileSync(planPath, 'utf8')) as PlanDocument;
  return { ...run, plan };
}

// Each case runs the pipeline as a child process, some of them twice.
describe('node examples/ci-pipeline.ts', { timeout: 120_000 }, () => {
  it('plans to JSON, applies and prints the outputs; the same spec again changes nothing', async () => {
    const first = await pipeline(exampleSpec);
    expect(first.status, first.stderr).toBe(0);
    expect(first.plan()).toMatchObject({ formatVersion: 1, cluster: 'demo', provider: 'gce' });
    const { summary, steps } = first.plan();
    expect(summary.create).toBeGreaterThan(0);
    expect(summary.changes).toBe(summary.create);
    // One progress line per step, and every step is in the plan JSON.
    const done = first.stderr.match(/^\[hakoc\] create \S+ done$/gm) ?? [];
    expect(done.sort()).toEqual(steps.map((step) => `[hakoc] create ${step.id} done`).sort());
    const outputs = JSON.parse(first.stdout) as GceOutputs;
    expect(outputs.apiUrl).toBe('https://api.k8s.example.com:6443');
    expect(outputs.etcd.map((member) => member.name)).toEqual([
      'demo-etcd-0',
      'demo-etcd-1',
      'demo-etcd-2',
    ]);
    expect(outputs.workers?.autoscaling).toEqual({ min: 2, max: 10 });

    const again = await pipeline(exampleSpec);
    expect(again.status, again.stderr).toBe(0);
    expect(again.plan().summary.changes).toBe(0);
    expect(JSON.parse(again.stdout)).toEqual(outputs);
  });

  it('refuses a plan that would replace or delete an etcd member or its disk, and applies nothing', async () => {
    expect((await pipeline(exampleSpec)).status).toBe(0);
    // Two zones instead of three: demo-etcd-2 moves to the first, and its data disk cannot follow.
    const moved = exampleSpec.replace(', europe-west1-d]', ']');
    expect(moved).not.toBe(exampleSpec);
    const refused = await pipeline(moved);
    expect(refused.status, refused.stderr).toBe(2);
    // Exactly the steps that lose demo-etcd-2's data are named, each with the plan's reason.
    const refusedLines = refused.stderr.match(/^\[hakoc\] refused: .*$/gm) ?? [];
    const losing = refused
      .plan()
      .steps.filter((step) => /^gce\.(etcdMember|disk)\//.test(step.id))
      .filter((step) => step.action === 'replace' || step.action === 'delete');
    expect(losing.length).toBeGreaterThan(0);
    expect(refusedLines.sort()).toEqual(
      losing.map((step) => `[hakoc] refused: ${step.action} ${step.id} (${step.reason})`).sort(),
    );
    expect(losing.every((step) => step.id.includes('demo-etcd-2'))).toBe(true);
    expect(refused.stderr).toContain(
      `error: the plan would lose etcd data (${losing.length} steps); nothing was applied`,
    );
    expect(refused.stderr).not.toMatch(/^\[hakoc\] \w+ \S+ done$/m);
    expect(refused.stdout).toBe('');
    // Nothing was applied: the member and its disk are where they were.
    const zone = 'projects/my-project/zones/europe-west1-d';
    expect(emulator.get(`${zone}/instances/demo-etcd-2`)).toBeDefined();
    expect(emulator.get(`${zone}/disks/demo-etcd-2-data`)).toBeDefined();
  });

  it('applies a change that keeps every etcd member', async () => {
    expect((await pipeline(exampleSpec)).status).toBe(0);
    const wider = await pipeline(exampleSpec.replace('max: 10', 'max: 12'));
    expect(wider.status, wider.stderr).toBe(0);
    expect(wider.plan().steps.filter((step) => step.action !== 'noop')).toMatchObject([
      { type: 'gce.autoscaler', action: 'update' },
    ]);
    expect((JSON.parse(wider.stdout) as GceOutputs).workers?.autoscaling).toEqual({
      min: 2,
      max: 12,
    });
  });

  it('fails with every spec problem and its line, before touching anything', async () => {
    const broken = await pipeline(
      exampleSpec.replace('count: 3, machineType: e2-small', 'count: 2, machineType: e2-small'),
    );
    expect(broken.status).toBe(1);
    expect(broken.stderr).toMatch(/cluster\.yaml:\d+:\d+/);
    expect(broken.stdout).toBe('');
  });
});
