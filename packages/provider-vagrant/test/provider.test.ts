import { readdir, readFile, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import {
  apply,
  createOwner,
  destroy,
  type EngineEvent,
  isApplyError,
  isProviderError,
  plan,
} from '@hakoc/core';
import { renderVagrantProject, vagrant } from '@hakoc/provider-vagrant';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  exampleModel,
  inputFor,
  STAND_IN_VAGRANT,
  type StandInHypervisor,
  standInHypervisor,
  standInProvider,
} from './support/stand-in-project.js';
import { makeTempDir, removeTempDir } from './support/tools.js';

// The provider end to end on examples/vagrant.yaml (3 etcd, 3 controllers, 2 workers and the
// load balancer) over the stand-in `vagrant` in hypervisor mode (support/stand-in-hypervisor.mjs,
// its output captured from the real binary where a capture exists; see fixtures/README.md).
describe('the vagrant provider on examples/vagrant.yaml', () => {
  let root: string;
  let hypervisor: StandInHypervisor;
  beforeAll(async () => {
    root = await makeTempDir();
    hypervisor = await standInHypervisor(join(root, 'hypervisor'));
  });
  afterAll(() => removeTempDir(root));

  it('applies from empty, writes the rendered project, re-plans no change, destroys only its own', async () => {
    const model = await exampleModel();
    const owner = createOwner(model.name);
    const dir = join(root, 'demo');
    const provider = standInProvider(dir, hypervisor);
    const input = inputFor(model);

    const first = await plan(input, provider, { owner });
    expect(first.summary).toMatchObject({ create: 10, changes: 10 });
    // Plans never show user-data: it carries keys.
    expect(JSON.stringify(first)).not.toContain('#cloud-config');

    const events: EngineEvent[] = [];
    const result = await apply(first, { onEvent: (event) => events.push(event) });
    expect(result.totals).toMatchObject({ done: 10, failed: 0 });
    const progress = events.flatMap((event) =>
      event.type === 'resource.progress' ? [event.message] : [],
    );
    expect(progress).toContain("Bringing machine 'demo-lb' up with 'virtualbox' provider...");

    // What apply left is what render shows, byte for byte.
    const rendered = await renderVagrantProject(input);
    for (const [name, content] of rendered) {
      expect(await readFile(join(dir, name), 'utf8'), name).toBe(content);
    }
    for (const name of [...rendered.keys()].filter((file) => file.startsWith('user-data-'))) {
      expect((await stat(join(dir, name))).mode & 0o777).toBe(0o600);
    }
    const vms = await hypervisor.vms();
    expect(Object.values(vms).filter((vm) => vm.state === 'running')).toHaveLength(10 - 1);

    const runsBefore = (await hypervisor.runs()).length;
    const again = await plan(input, provider, { owner });
    expect(again.summary.changes).toBe(0);
    // One `vagrant status` for all nine machines (and the preflight's plugin list).
    expect((await hypervisor.runs()).slice(runsBefore)).toEqual(['plugin list', 'status']);

    // Another cluster on the same hypervisor, in its own directory.
    const otherModel = await exampleModel({ name: 'other', etcd: 1, controllers: 1, workers: 1 });
    const otherDir = join(root, 'other');
    const other = standInProvider(otherDir, hypervisor);
    await apply(await plan(inputFor(otherModel), other, { owner: createOwner('other') }));
    const otherVms = Object.entries(await hypervisor.vms()).filter(([key]) =>
      key.startsWith(`${otherDir}::`),
    );
    expect(otherVms).toHaveLength(4);

    const destroyed = await destroy(owner, provider);
    expect(destroyed.totals).toMatchObject({ done: 10, failed: 0 });
    const left = await hypervisor.vms();
    expect(Object.keys(left).filter((key) => key.startsWith(`${dir}::`))).toEqual([]);
    expect(Object.entries(left).filter(([key]) => key.startsWith(`${otherDir}::`))).toEqual(
      otherVms,
    );
    // Only the lock's absence and Vagrant's nothing remain of the project.
    expect(await readdir(dir)).toEqual([]);
  });

  it('starts a machine that was halted, and resizes one in place without provisioning again', async () => {
    const model = await exampleModel({ etcd: 1, controllers: 1, workers: 1 });
    const owner = createOwner(model.name);
    const dir = join(root, 'halted');
    const provider = standInProvider(dir, hypervisor);
    await apply(await plan(inputFor(model), provider, { owner }));
    const key = `${dir}::demo-worker-0`;
    const created = (await hypervisor.vms())[key];

    const { createVagrantCli } = await import('@hakoc/provider-vagrant');
    await createVagrantCli({ cwd: dir, binary: STAND_IN_VAGRANT, env: hypervisor.env }).halt(
      'demo-worker-0',
    );
    const halted = await plan(inputFor(model), provider, { owner });
    expect(halted.steps.filter((step) => step.action !== 'noop')).toMatchObject([
      { id: 'vagrant.machine/demo-worker-0', action: 'update', fields: ['running'] },
    ]);
    await apply(halted);
    expect((await hypervisor.vms())[key]).toMatchObject({ state: 'running', id: created?.id });

    const bigger = inputFor(model, {
      layout: { resources: { worker: { memoryMb: 4096, cpus: 3 } } },
    });
    const resize = await plan(bigger, provider, { owner });
    expect(resize.steps.filter((step) => step.action !== 'noop')).toMatchObject([
      { id: 'vagrant.machine/demo-worker-0', action: 'update', fields: ['cpus', 'memoryMb'] },
    ]);
    const runsBefore = (await hypervisor.runs()).length;
    await apply(resize);
    expect((await hypervisor.runs()).slice(runsBefore)).toEqual(
      expect.arrayContaining([
        'halt demo-worker-0',
        'up demo-worker-0 --no-provision --provider virtualbox',
      ]),
    );
    expect((await hypervisor.vms())[key]).toMatchObject({
      state: 'running',
      id: created?.id,
      memoryMb: 4096,
      cpus: 3,
      userDataSha256: created?.userDataSha256,
    });
    await destroy(owner, provider);
  });

  it('replaces the load balancer when the API servers change, and only it besides the new controller', async () => {
    const small = await exampleModel({ etcd: 1, controllers: 1, workers: 1 });
    const owner = createOwner(small.name);
    const dir = join(root, 'scale');
    const provider = standInProvider(dir, hypervisor);
    await apply(await plan(inputFor(small), provider, { owner }));
    const more = await exampleModel({ etcd: 1, controllers: 2, workers: 1 });
    const scaled = await plan(inputFor(more), provider, { owner });
    const changes = scaled.steps
      .filter((step) => step.action !== 'noop')
      .map((step) => [step.id, step.action]);
    // Adding a controller shifts the worker's address (.3 on), so it is replaced too: the
    // model packs addresses by role, and a machine is configured once.
    expect(changes).toEqual(
      expect.arrayContaining([
        ['vagrant.machine/demo-lb', 'replace'],
        ['vagrant.machine/demo-controller-1', 'create'],
      ]),
    );
    const lb = scaled.steps.find((step) => step.id === 'vagrant.machine/demo-lb');
    expect(lb?.fields).toEqual(['userData']);
    await destroy(owner, provider);
  });

  it('refuses a directory that holds another cluster, and keeps the lock atomic', async () => {
    const model = await exampleModel({ etcd: 1, controllers: 1, workers: 1 });
    const dir = join(root, 'shared');
    await apply(
      await plan(inputFor(model), standInProvider(dir, hypervisor), { owner: createOwner('demo') }),
    );
    const intruder = await exampleModel({ name: 'intruder', etcd: 1, controllers: 1, workers: 1 });
    const provider = standInProvider(dir, hypervisor);
    const failure = await apply(
      await plan(inputFor(intruder), provider, { owner: createOwner('intruder') }),
    ).catch((error: unknown) => error);
    expect(isApplyError(failure)).toBe(true);
    const first = isApplyError(failure) ? failure.failed[0]?.error : undefined;
    expect(first).toMatchObject({
      reason: 'conflict',
      retryable: false,
      message: expect.stringContaining('holds the Vagrant project of cluster "demo"'),
    });

    const ctx = { owner: createOwner('demo'), signal: new AbortController().signal };
    const lock = (id: string) => ({
      id,
      holder: id,
      operation: 'apply' as const,
      acquiredAt: new Date(0).toISOString(),
    });
    const outcomes = await Promise.allSettled(
      Array.from({ length: 8 }, (_, index) => provider.lock.create(ctx, lock(`holder-${index}`))),
    );
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
    const rejected = outcomes.flatMap((outcome) =>
      outcome.status === 'rejected' ? [outcome.reason] : [],
    );
    expect(
      rejected.every((reason) => isProviderError(reason) && reason.reason === 'conflict'),
    ).toBe(true);
    const held = await provider.lock.read(ctx);
    await provider.lock.delete(ctx, lock('someone-else'));
    expect(await provider.lock.read(ctx)).toEqual(held);
    if (held !== undefined) await provider.lock.delete(ctx, held);
    expect(await provider.lock.read(ctx)).toBeUndefined();
    await destroy(createOwner('demo'), provider);
  });
});

describe('preflight', () => {
  let root: string;
  let hypervisor: StandInHypervisor;
  beforeAll(async () => {
    root = await makeTempDir();
    hypervisor = await standInHypervisor(join(root, 'hypervisor'));
  });
  afterAll(() => removeTempDir(root));

  it('fails with the missing piece named: vagrant, the libvirt plugin, VirtualBox', async () => {
    const model = await exampleModel({
      etcd: 1,
      controllers: 1,
      workers: 1,
      hypervisor: 'libvirt',
    });
    const owner = createOwner(model.name);
    const missingBinary = vagrant({ dir: join(root, 'a'), binary: join(root, 'no-such-vagrant') });
    await expect(
      plan(inputFor(model), missingBinary, { owner, retry: { retries: 0 } }),
    ).rejects.toMatchObject({
      operation: 'preflight',
      reason: 'invalid',
      message: expect.stringContaining('was not found'),
      hint: expect.stringContaining('Install Vagrant'),
    });
    const noPlugin = standInProvider(join(root, 'b'), hypervisor, {
      hypervisor: 'libvirt',
      env: { ...hypervisor.env, STAND_IN_PLUGINS: 'none' },
    });
    await expect(
      plan(inputFor(model), noPlugin, { owner, retry: { retries: 0 } }),
    ).rejects.toMatchObject({
      operation: 'preflight',
      message: 'The vagrant-libvirt plugin is not installed',
    });
    const noVirtualBox = standInProvider(join(root, 'c'), hypervisor, {
      hypervisor: 'virtualbox',
      // Node only (the stand-in is a Node script): no VBoxManage.
      env: { ...hypervisor.env, PATH: dirname(process.execPath) },
    });
    await expect(
      plan(inputFor(model), noVirtualBox, { owner, retry: { retries: 0 } }),
    ).rejects.toMatchObject({
      operation: 'preflight',
      message: expect.stringContaining('VirtualBox is not installed'),
    });
  });

  it('warns when the machines need more memory than the host has', async () => {
    const warnings: string[] = [];
    const provider = standInProvider(join(root, 'd'), hypervisor, {
      totalMemoryBytes: 8 * 1024 ** 3,
      onWarning: (warning) => warnings.push(warning.code),
    });
    await provider.desired(inputFor(await exampleModel()));
    expect(warnings).toEqual(['HAKOC_VAGRANT_MEMORY_OVERCOMMIT']);
  });
});
