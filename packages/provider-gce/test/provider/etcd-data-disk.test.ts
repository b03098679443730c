import { apply, breakLock, destroy, type EngineEvent, plan } from '@hakoc/core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { GceProvider } from '../../src/index.js';
import { exampleModel, FAST_RETRY, type GceWorld, inputOf, startWorld } from './fixtures.js';

const PROJECT = 'my-project';
const RUN = { retry: FAST_RETRY, concurrency: 16 };

function groups(world: GceWorld): string[] {
  return world.emulator
    .resources(new RegExp(`^projects/${PROJECT}/regions/[^/]+/instanceGroupManagers/demo-etcd-`))
    .map(({ resource }) => String(resource.name));
}

function dataDisks(world: GceWorld): { name: string; id: string; users: unknown }[] {
  return world.emulator
    .resources(new RegExp(`^projects/${PROJECT}/zones/[^/]+/disks/demo-etcd-\\d+-data`))
    .map(({ resource }) => ({
      name: String(resource.name),
      id: String(resource.id),
      users: resource.users,
    }));
}

async function converge(world: GceWorld, provider: GceProvider): Promise<void> {
  await apply(await plan(inputOf(exampleModel()), provider, { owner: world.owner, ...RUN }), RUN);
}

/**
 * Destroys the cluster and "dies" the moment the first etcd member's group is deleted: the
 * engine deletes the data disks only after every member, so that member's disk is left with no
 * group that names it — exactly where a crash used to orphan it.
 */
async function destroyDyingAfterFirstMember(world: GceWorld): Promise<string> {
  const provider = world.provider();
  const controller = new AbortController();
  let member = '';
  const onEvent = (event: EngineEvent) => {
    if (
      event.type === 'resource.done' &&
      event.step.type === 'gce.etcdMember' &&
      event.step.action === 'delete' &&
      member === ''
    ) {
      member = event.step.name;
      controller.abort();
    }
  };
  await destroy(world.owner, provider, { ...RUN, onEvent, signal: controller.signal }).catch(
    () => undefined,
  );
  await provider.close();
  expect(member).not.toBe('');
  return member;
}

describe('etcd data disks across a crash between the group delete and the disk delete', () => {
  // One emulator for the file, emptied before each test: its clients are made once.
  let world: GceWorld;
  beforeAll(async () => {
    world = await startWorld();
  });
  beforeEach(async () => {
    await world.reset();
  });
  afterAll(async () => {
    await world.close();
  });

  it('a later destroy finds and deletes the disk whose group is gone', async () => {
    await converge(world, world.provider());
    const member = await destroyDyingAfterFirstMember(world);
    expect(groups(world)).not.toContain(member);
    expect(dataDisks(world).map((d) => d.name)).toContain(`${member}-data`);

    // A new process: the crashed one left its lock behind.
    const provider = world.provider();
    await breakLock(world.owner, provider);
    await destroy(world.owner, provider, RUN);
    world.emulator.settle();
    expect(dataDisks(world)).toEqual([]);
    expect(groups(world)).toEqual([]);
  });

  it('a later apply adopts the disk (same disk, no second one) and the member gets it back', async () => {
    await converge(world, world.provider());
    const before = new Map(dataDisks(world).map((d) => [d.name, d.id]));
    const member = await destroyDyingAfterFirstMember(world);

    const provider = world.provider();
    await breakLock(world.owner, provider);
    const planned = await plan(inputOf(exampleModel()), provider, { owner: world.owner, ...RUN });
    const stepOf = (id: string) => planned.steps.find((s) => s.id === id)?.action;
    expect(stepOf(`gce.disk/${member}-data`)).toBe('noop');
    expect(stepOf(`gce.etcdMember/${member}`)).toBe('create');
    await apply(planned, RUN);

    const after = dataDisks(world);
    expect(after.map((d) => d.name).sort()).toEqual([...before.keys()].sort());
    for (const disk of after) expect(disk.id, disk.name).toBe(before.get(disk.name));
    const deadline = Date.now() + 10_000;
    let attached = dataDisks(world).find((d) => d.name === `${member}-data`)?.users;
    while (!(Array.isArray(attached) && attached.length === 1) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      world.emulator.settle();
      attached = dataDisks(world).find((d) => d.name === `${member}-data`)?.users;
    }
    expect(String((attached as unknown[])[0])).toMatch(new RegExp(`/instances/${member}$`));
    const again = await plan(inputOf(exampleModel()), provider, { owner: world.owner, ...RUN });
    expect(again.summary.changes).toBe(0);
  });
});
