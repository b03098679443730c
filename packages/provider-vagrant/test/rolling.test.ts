import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { apply, createOwner, destroy, isApplyError, plan } from '@hakoc/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  exampleModel,
  inputFor,
  type StandInHypervisor,
  type StandInRun,
  standInHypervisor,
  standInProvider,
} from './support/stand-in-project.js';
import { makeTempDir, removeTempDir } from './support/tools.js';

// Day-2 changes on Vagrant through the stand-in `vagrant` (support/stand-in-hypervisor.mjs),
// judged by its timeline: every run with its start and end on the host's clock.

// The machine is the first argument after the command that is not an option (`destroy -f NAME`).
const isRun = (run: StandInRun, command: string, machine: string) =>
  run.argv[0] === command && run.argv.slice(1).find((arg) => !arg.startsWith('-')) === machine;
const isSsh = (run: StandInRun, machine: string, what: string) =>
  isRun(run, 'ssh', machine) && run.argv.some((arg) => arg.includes(what));

function only(runs: readonly StandInRun[], found: (run: StandInRun) => boolean): StandInRun {
  const matching = runs.filter(found);
  if (matching.length !== 1) throw new Error(`expected one run, found ${matching.length}`);
  return matching[0] as StandInRun;
}

// From the VM's destroy to the probe that found it healthy: the window in which a re-created
// machine is not serving yet.
function replacementWindow(runs: readonly StandInRun[], machine: string, probe: string) {
  const destroyed = only(runs, (run) => isRun(run, 'destroy', machine));
  const up = only(runs, (run) => isRun(run, 'up', machine));
  const probes = runs.filter((run) => isSsh(run, machine, probe));
  const healthy = probes.find((run) => run.exit === 0);
  if (healthy === undefined) throw new Error(`${machine} was never found healthy`);
  return { destroyed, up, probes, healthy, start: destroyed.start, end: healthy.end };
}

describe('rolling Vagrant machines', () => {
  let root: string;
  let hypervisor: StandInHypervisor;
  beforeAll(async () => {
    root = await makeTempDir();
    hypervisor = await standInHypervisor(join(root, 'hypervisor'));
  });
  afterAll(() => removeTempDir(root));

  const readiness = { intervalMs: 100, timeoutMs: 20_000 };

  it('re-creates etcd VMs one at a time, each once the one before answered healthy, then controllers one at a time, then workers', async () => {
    const from = await exampleModel({ kubernetesVersion: '1.35.9' });
    const owner = createOwner(from.name);
    const dir = join(root, 'upgrade');
    const provider = standInProvider(dir, hypervisor, { readiness });
    hypervisor.setGuest({});
    await apply(await plan(inputFor(from), provider, { owner }));
    const machines = JSON.parse(await readFile(join(dir, 'machines.json'), 'utf8'));
    const recorded = Object.fromEntries(
      machines.machines.map((entry: { name: string; kubernetesVersion?: string }) => [
        entry.name,
        entry.kubernetesVersion,
      ]),
    );
    // etcd members and the load balancer run no Kubernetes.
    expect(recorded).toMatchObject({
      'demo-lb': undefined,
      'demo-etcd-0': undefined,
      'demo-controller-0': '1.35.9',
      'demo-worker-1': '1.35.9',
    });
    expect(machines.etcdMembers).toEqual(['demo-etcd-0', 'demo-etcd-1', 'demo-etcd-2']);

    // A re-created member answers healthy only some time after its VM exists, so the provider
    // has to ask more than once.
    hypervisor.setGuest({ healthyAfterMs: 1_200 });
    const to = await exampleModel({ kubernetesVersion: '1.36.2' });
    const upgrade = await plan(inputFor(to), provider, { owner });
    const step = (name: string) => upgrade.steps.find((s) => s.id === `vagrant.machine/${name}`);
    expect(step('demo-etcd-1')).toMatchObject({
      action: 'replace',
      dependsOn: expect.arrayContaining(['vagrant.machine/demo-etcd-0']),
      reason: expect.stringContaining('one at a time in etcd, after vagrant.machine/demo-etcd-0'),
    });
    expect(step('demo-controller-0')?.dependsOn).toEqual(
      expect.arrayContaining(['vagrant.machine/demo-etcd-2']),
    );
    expect(step('demo-controller-2')?.reason).toContain(
      'one at a time in controlPlane, after vagrant.machine/demo-controller-1',
    );
    expect(step('demo-worker-0')?.dependsOn).toEqual(
      expect.arrayContaining(['vagrant.machine/demo-controller-2']),
    );

    const before = (await hypervisor.timeline()).length;
    await apply(upgrade);
    const runs = (await hypervisor.timeline()).slice(before);

    const etcd = ['demo-etcd-0', 'demo-etcd-1', 'demo-etcd-2'].map((name) =>
      replacementWindow(runs, name, 'endpoint health'),
    );
    for (const [index, member] of etcd.entries()) {
      // It was asked after its VM came up, and was not healthy at first.
      expect(member.probes[0]?.start).toBeGreaterThanOrEqual(member.up.end);
      expect(member.probes.some((probe) => probe.exit !== 0)).toBe(true);
      const next = etcd[index + 1];
      // The next member's VM goes only once this one answered healthy.
      if (next !== undefined) expect(next.start).toBeGreaterThanOrEqual(member.end);
    }
    const controllers = ['demo-controller-0', 'demo-controller-1', 'demo-controller-2'].map(
      (name) => replacementWindow(runs, name, '/readyz'),
    );
    expect(controllers[0]?.start).toBeGreaterThanOrEqual(etcd[2]?.end ?? Number.NaN);
    for (const [index, controller] of controllers.entries()) {
      const next = controllers[index + 1];
      if (next !== undefined) expect(next.start).toBeGreaterThanOrEqual(controller.end);
    }
    // Workers are not waited for, and go after the last controller.
    for (const worker of ['demo-worker-0', 'demo-worker-1']) {
      const destroyed = only(runs, (run) => isRun(run, 'destroy', worker));
      expect(destroyed.start).toBeGreaterThanOrEqual(controllers[2]?.end ?? Number.NaN);
      expect(runs.filter((run) => isRun(run, 'ssh', worker))).toEqual([]);
    }
    // A replaced member stays on the cluster's list: it is re-created, not removed.
    expect(runs.filter((run) => run.argv.some((arg) => arg.includes('leave')))).toEqual([]);
    expect((await plan(inputFor(to), provider, { owner })).summary.changes).toBe(0);
    await destroy(owner, provider);
  }, 120_000);

  it('resizes etcd VMs one at a time, each restarted member healthy before the next halts', async () => {
    const shape = { controllers: 1, workers: 1 } as const;
    const model = await exampleModel(shape);
    const owner = createOwner(model.name);
    const dir = join(root, 'resize');
    const provider = standInProvider(dir, hypervisor, { readiness });
    hypervisor.setGuest({});
    await apply(await plan(inputFor(model), provider, { owner }));

    hypervisor.setGuest({ healthyAfterMs: 800 });
    const bigger = inputFor(model, { layout: { resources: { etcd: { memoryMb: 1536 } } } });
    const resize = await plan(bigger, provider, { owner });
    expect(
      resize.steps.filter((step) => step.action !== 'noop').map((step) => [step.name, step.action]),
    ).toEqual([
      ['demo-etcd-0', 'update'],
      ['demo-etcd-1', 'update'],
      ['demo-etcd-2', 'update'],
    ]);
    const before = (await hypervisor.timeline()).length;
    await apply(resize);
    const runs = (await hypervisor.timeline()).slice(before);
    const restarts = ['demo-etcd-0', 'demo-etcd-1', 'demo-etcd-2'].map((name) => {
      const halted = only(runs, (run) => isRun(run, 'halt', name));
      const up = only(runs, (run) => isRun(run, 'up', name));
      const probes = runs.filter((run) => isSsh(run, name, 'endpoint health'));
      const healthy = probes.find((run) => run.exit === 0);
      expect(probes[0]?.start).toBeGreaterThanOrEqual(up.end);
      expect(probes.some((probe) => probe.exit !== 0)).toBe(true);
      return { start: halted.start, end: healthy?.end ?? Number.NaN };
    });
    for (const [index, restart] of restarts.entries()) {
      const next = restarts[index + 1];
      if (next !== undefined) expect(next.start).toBeGreaterThanOrEqual(restart.end);
    }
    expect((await plan(bigger, provider, { owner })).summary.changes).toBe(0);

    // A member not serving after its restart stops the roll, and is re-created next time.
    hypervisor.setGuest({ neverHealthy: ['demo-etcd-1'] });
    const impatient = standInProvider(dir, hypervisor, {
      readiness: { intervalMs: 100, timeoutMs: 3_000 },
    });
    const biggest = inputFor(model, { layout: { resources: { etcd: { memoryMb: 2048 } } } });
    const failure = await apply(await plan(biggest, impatient, { owner })).catch(
      (error: unknown) => error,
    );
    expect(isApplyError(failure) && failure.failed.map(({ step }) => step.name)).toEqual([
      'demo-etcd-1',
    ]);
    expect(isApplyError(failure) && failure.notStarted.map((step) => step.name)).toEqual([
      'demo-etcd-2',
    ]);
    const next = await plan(biggest, impatient, { owner });
    expect(next.steps.find((step) => step.name === 'demo-etcd-1')).toMatchObject({
      action: 'replace',
      reason: expect.stringContaining('never found healthy'),
    });
    await destroy(owner, provider);
  }, 120_000);

  it('stops the roll at a member that never answers healthy, and says so', async () => {
    const shape = { controllers: 1, workers: 1 } as const;
    const from = await exampleModel({ ...shape, kubernetesVersion: '1.35.9' });
    const owner = createOwner(from.name);
    const dir = join(root, 'unhealthy');
    const provider = standInProvider(dir, hypervisor, {
      // Long enough for a probe to answer on a loaded machine: the message quotes the answer.
      readiness: { intervalMs: 100, timeoutMs: 4_000 },
    });
    hypervisor.setGuest({});
    await apply(await plan(inputFor(from), provider, { owner }));

    hypervisor.setGuest({ neverHealthy: ['demo-etcd-0'] });
    const to = await exampleModel({ ...shape, kubernetesVersion: '1.36.2' });
    const before = (await hypervisor.timeline()).length;
    const failure = await apply(await plan(inputFor(to), provider, { owner })).catch(
      (error: unknown) => error,
    );
    expect(isApplyError(failure)).toBe(true);
    if (!isApplyError(failure)) return;
    expect(failure.failed.map(({ step }) => [step.name, step.action])).toEqual([
      ['demo-etcd-0', 'replace'],
    ]);
    expect(failure.failed[0]?.error).toMatchObject({
      operation: 'create',
      reason: 'timeout',
      retryable: false,
      message: expect.stringMatching(
        /^Gave up waiting until etcd member demo-etcd-0 on demo-etcd-0 is healthy: not so after \d+ s and \d+ probes\. Last answer: .*is unhealthy: failed to commit proposal/s,
      ),
      hint: expect.stringContaining('journalctl -u etcd-member-join.service'),
    });
    // Nothing after it in the roll started: no other member, no controller, no worker.
    expect(failure.notStarted.map((step) => step.name).sort()).toEqual([
      'demo-controller-0',
      'demo-etcd-1',
      'demo-etcd-2',
      'demo-worker-0',
    ]);
    const runs = (await hypervisor.timeline()).slice(before);
    expect(runs.filter((run) => run.argv[0] === 'destroy').map((run) => run.argv.at(-1))).toEqual([
      'demo-etcd-0',
    ]);
    // Never found healthy, so the next plan re-creates it rather than moving on.
    const again = await plan(inputFor(to), provider, { owner });
    expect(again.steps.find((step) => step.name === 'demo-etcd-0')).toMatchObject({
      action: 'replace',
      reason: expect.stringContaining('never found healthy'),
    });
    await destroy(owner, provider);
  }, 120_000);

  it('refuses a skipped minor version and a downgrade at plan time, from what the machines record', async () => {
    const from = await exampleModel({
      etcd: 1,
      controllers: 1,
      workers: 1,
      kubernetesVersion: '1.35.9',
    });
    const owner = createOwner(from.name);
    const dir = join(root, 'skip');
    const provider = standInProvider(dir, hypervisor, { readiness });
    hypervisor.setGuest({});
    await apply(await plan(inputFor(from), provider, { owner }));

    const skip = await exampleModel({
      etcd: 1,
      controllers: 1,
      workers: 1,
      kubernetesVersion: '1.37.1',
    });
    await expect(plan(inputFor(skip), provider, { owner })).rejects.toMatchObject({
      code: 'HAKOC_VERSION_SKIP',
      message: expect.stringContaining('Kubernetes 1.35.9 is running'),
      hint: expect.stringContaining('set spec.kubernetes.version to a 1.36 release'),
    });
    const next = await exampleModel({
      etcd: 1,
      controllers: 1,
      workers: 1,
      kubernetesVersion: '1.36.2',
    });
    const upgrade = await plan(inputFor(next), provider, { owner });
    expect(upgrade.summary.replace).toBeGreaterThan(0);
    await apply(upgrade);

    const back = await exampleModel({
      etcd: 1,
      controllers: 1,
      workers: 1,
      kubernetesVersion: '1.35.9',
    });
    await expect(plan(inputFor(back), provider, { owner })).rejects.toMatchObject({
      code: 'HAKOC_VERSION_DOWNGRADE',
      message: expect.stringContaining('Kubernetes 1.36.2 is running'),
    });
    // A patch release back is fine.
    const patch = await exampleModel({
      etcd: 1,
      controllers: 1,
      workers: 1,
      kubernetesVersion: '1.36.1',
    });
    await expect(plan(inputFor(patch), provider, { owner })).resolves.toBeDefined();
    await destroy(owner, provider);
  }, 120_000);
});
