import { readFile, writeFile } from 'node:fs/promises';
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

// etcd scale-down on Vagrant through the stand-in `vagrant` (support/stand-in-hypervisor.mjs):
// a leaving member's own leave unit runs inside its VM before the VM is destroyed, one member
// at a time, judged by the stand-in's timeline of runs. libvirt with four runs in flight, so
// the machine queue would let the destroys overlap: the one-at-a-time must be the provider's.

const target = (run: StandInRun) => run.argv.slice(1).find((arg) => !arg.startsWith('-'));
const isLeave = (run: StandInRun) =>
  run.argv[0] === 'ssh' && run.argv.some((arg) => arg.includes('etcd-member-leave.service'));
const isDestroy = (run: StandInRun) => run.argv[0] === 'destroy';

describe('etcd scale-down on Vagrant', () => {
  let root: string;
  let hypervisor: StandInHypervisor;
  beforeAll(async () => {
    root = await makeTempDir();
    hypervisor = await standInHypervisor(join(root, 'hypervisor'));
  });
  afterAll(() => removeTempDir(root));

  const shape = { controllers: 1, workers: 1, hypervisor: 'libvirt' } as const;
  const options = { parallelism: 4, readiness: { intervalMs: 100, timeoutMs: 10_000 } };

  it('has each leaving member leave from inside its VM before the VM goes, one member at a time', async () => {
    const five = await exampleModel({ ...shape, etcd: 5 });
    const owner = createOwner(five.name);
    const dir = join(root, 'shrink');
    const provider = standInProvider(dir, hypervisor, options);
    hypervisor.setGuest({});
    await apply(await plan(inputFor(five), provider, { owner }));
    const ids = async () =>
      Object.fromEntries(
        Object.entries(await hypervisor.vms())
          .filter(([key]) => key.startsWith(`${dir}::`))
          .map(([key, vm]) => [key.slice(dir.length + 2), vm.id]),
      );
    const before = await ids();

    const three = await exampleModel({ ...shape, etcd: 3 });
    const shrink = await plan(inputFor(three), provider, { owner });
    expect(
      shrink.steps
        .filter((step) => step.action === 'delete')
        .map((step) => step.name)
        .sort(),
    ).toEqual(['demo-etcd-3', 'demo-etcd-4']);
    // The project records the members that stay before any machine goes.
    expect(shrink.steps.find((step) => step.type === 'vagrant.project')).toMatchObject({
      action: 'update',
      fields: ['etcdMembers'],
    });

    const start = (await hypervisor.timeline()).length;
    await apply(shrink);
    const runs = (await hypervisor.timeline()).slice(start);
    const leaves = runs.filter(isLeave);
    expect(leaves.map(target).sort()).toEqual(['demo-etcd-3', 'demo-etcd-4']);
    expect(leaves.every((run) => run.exit === 0)).toBe(true);
    const windows = leaves
      .map((leave) => {
        const destroyed = runs.filter((run) => isDestroy(run) && target(run) === target(leave));
        expect(destroyed).toHaveLength(1);
        const [gone] = destroyed;
        // The member left before its VM was destroyed.
        expect(gone?.start).toBeGreaterThanOrEqual(leave.end);
        return { start: leave.start, end: gone?.end ?? Number.NaN };
      })
      .sort((a, b) => a.start - b.start);
    // The second member starts leaving only once the first one's VM is gone.
    expect(windows[1]?.start).toBeGreaterThanOrEqual(windows[0]?.end ?? Number.NaN);

    const after = await ids();
    const { 'demo-etcd-3': _three, 'demo-etcd-4': _four, ...staying } = before;
    expect(after).toEqual(staying);
    const machines = JSON.parse(await readFile(join(dir, 'machines.json'), 'utf8'));
    expect(machines.etcdMembers).toEqual(['demo-etcd-0', 'demo-etcd-1', 'demo-etcd-2']);
    expect((await plan(inputFor(three), provider, { owner })).summary.changes).toBe(0);

    // Destroying the whole cluster asks no member to leave: the last could not.
    const beforeDestroy = (await hypervisor.timeline()).length;
    await destroy(owner, provider);
    const destroyRuns = (await hypervisor.timeline()).slice(beforeDestroy);
    // The load balancer, three members, the controller and the worker.
    expect(destroyRuns.filter(isDestroy)).toHaveLength(6);
    expect(destroyRuns.filter(isLeave)).toEqual([]);
  }, 120_000);

  it('keeps the VM, and says why, when its member does not leave', async () => {
    const five = await exampleModel({ ...shape, etcd: 5 });
    const owner = createOwner(five.name);
    const dir = join(root, 'refused');
    const provider = standInProvider(dir, hypervisor, options);
    hypervisor.setGuest({});
    await apply(await plan(inputFor(five), provider, { owner }));

    hypervisor.setGuest({ leaveFails: ['demo-etcd-4'] });
    const three = await exampleModel({ ...shape, etcd: 3 });
    const failure = await apply(await plan(inputFor(three), provider, { owner })).catch(
      (error: unknown) => error,
    );
    expect(isApplyError(failure)).toBe(true);
    if (!isApplyError(failure)) return;
    expect(failure.failed.map((failed) => [failed.step.name, failed.step.action])).toEqual([
      ['demo-etcd-4', 'delete'],
    ]);
    expect(failure.failed[0]?.error).toMatchObject({
      operation: 'delete',
      retryable: false,
      message: expect.stringContaining(
        'etcd member demo-etcd-4 did not leave the etcd cluster: vagrant ssh demo-etcd-4',
      ),
      hint: expect.stringContaining('journalctl -u etcd-member-leave.service'),
    });
    const vms = await hypervisor.vms();
    expect(vms[`${dir}::demo-etcd-4`]).toMatchObject({ state: 'running' });
    // The other leaving member is not held up by it.
    expect(vms[`${dir}::demo-etcd-3`]).toBeUndefined();
    // Once the member can leave, the next apply finishes the job.
    hypervisor.setGuest({});
    await apply(await plan(inputFor(three), provider, { owner }));
    expect((await hypervisor.vms())[`${dir}::demo-etcd-4`]).toBeUndefined();
    await destroy(owner, provider);
  }, 120_000);

  it('asks no member to leave in a destroy, even one a stopped scale-down left unlisted', async () => {
    const five = await exampleModel({ ...shape, etcd: 5 });
    const owner = createOwner(five.name);
    const dir = join(root, 'interrupted');
    const provider = standInProvider(dir, hypervisor, options);
    hypervisor.setGuest({});
    await apply(await plan(inputFor(five), provider, { owner }));
    // What a scale-down to 3 leaves when it stops right after recording the members that stay.
    const path = join(dir, 'machines.json');
    const document = JSON.parse(await readFile(path, 'utf8'));
    document.etcdMembers = ['demo-etcd-0', 'demo-etcd-1', 'demo-etcd-2'];
    await writeFile(path, `${JSON.stringify(document, null, 2)}\n`);

    const start = (await hypervisor.timeline()).length;
    await destroy(owner, provider);
    const runs = (await hypervisor.timeline()).slice(start);
    expect(runs.filter(isDestroy)).toHaveLength(8);
    expect(runs.filter(isLeave)).toEqual([]);
  }, 120_000);
});
