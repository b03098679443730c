import {
  apply,
  buildClusterModel,
  type ClusterModel,
  type ClusterSpec,
  componentImageTags,
  composeBootConfig,
  type EngineEvent,
  plan,
  readClusterSpecFile,
  renderIgnition,
  VERSION_DOWNGRADE_CODE,
  VERSION_SKIP_CODE,
} from '@hakoc/core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CallLogEntry } from '../../src/emulator/index.js';
import type { GceInput, GceProvider } from '../../src/index.js';
import { computeClients, done } from '../emulator/clients.js';
import { EXAMPLE_SPEC_PATH, FAST_RETRY, type GceWorld, startWorld } from './fixtures.js';

const PROJECT = 'my-project';
const read = await readClusterSpecFile(EXAMPLE_SPEC_PATH);
if (!read.ok) throw new Error('examples/gce.yaml is invalid');
const exampleSpec: ClusterSpec = read.spec;

function modelWith(version: string, etcdCount = 3): ClusterModel {
  const { spec } = exampleSpec;
  return buildClusterModel({
    ...exampleSpec,
    spec: {
      ...spec,
      kubernetes: { ...spec.kubernetes, version },
      etcd: { ...spec.etcd, count: etcdCount },
    },
  });
}

// Real Ignition configs that carry what changes with a release: the etcd image pinned for its
// minor on members, the Kubernetes version on the others. A member's config names only itself.
function inputOf(model: ClusterModel): GceInput {
  const { version } = model.kubernetes;
  const config = (files: Record<string, string>) =>
    renderIgnition(
      composeBootConfig([
        {
          module: 'test',
          part: {
            files: Object.entries(files).map(([path, contents]) => ({
              path,
              contents: `${contents}\n`,
              mode: 0o644,
            })),
          },
        },
      ]),
    );
  return {
    model,
    bootConfigs: {
      etcd: Object.fromEntries(
        model.machineSets.etcd.machines.map((m) => [
          m.name,
          config({
            '/etc/hakoc/member': m.name,
            '/etc/hakoc/etcd-image': componentImageTags(version).etcd,
          }),
        ]),
      ),
      controlPlane: config({ '/etc/hakoc/role': 'controller', '/etc/hakoc/version': version }),
      workers: config({ '/etc/hakoc/role': 'worker', '/etc/hakoc/version': version }),
    },
  };
}

function etcdInstances(world: GceWorld) {
  return world.emulator.resources(
    new RegExp(`^projects/${PROJECT}/zones/[^/]+/instances/demo-etcd-\\d+$`),
  );
}

// From a group's first change to its last read (the wait that saw it settled), in the log.
function windowOf(log: readonly CallLogEntry[], group: string) {
  const mine = log.filter((e) => e.path.includes(`/instanceGroupManagers/${group}`));
  // Reads are GETs and the POSTs of list verbs; everything else changes the group.
  const changes = mine.filter((e) => e.method !== 'GET' && !/\/list[A-Z]\w*$/.test(e.path));
  const first = changes[0];
  const lastRead = mine.filter((e) => e.method === 'GET').at(-1);
  if (first === undefined || lastRead === undefined) return undefined;
  return { start: first.seq, end: lastRead.seq, changes: changes.length };
}

describe('rolling the cluster', () => {
  let world: GceWorld;
  let provider: GceProvider;
  beforeAll(async () => {
    world = await startWorld();
  });
  beforeEach(async () => {
    await world.reset();
  });
  afterAll(async () => {
    await world.close();
  });

  async function converge(model: ClusterModel) {
    provider = world.provider(model);
    const planned = await plan(inputOf(model), provider, { owner: world.owner, retry: FAST_RETRY });
    await apply(planned, { retry: FAST_RETRY, concurrency: 16 });
  }

  it('upgrades a minor: etcd members one at a time, then the control plane, then the workers', async () => {
    await converge(modelWith('1.35.9'));
    // The control plane rolls by adding a machine per zone first and never taking one away.
    const controllers = world.emulator.get(
      `projects/${PROJECT}/regions/europe-west1/instanceGroupManagers/demo-controller`,
    );
    expect(controllers?.updatePolicy).toMatchObject({
      replacementMethod: 'SUBSTITUTE',
      maxSurge: { fixed: 3 },
      maxUnavailable: { fixed: 0 },
    });
    const next = modelWith('1.36.4');
    const planned = await plan(inputOf(next), world.provider(next), {
      owner: world.owner,
      retry: FAST_RETRY,
    });
    const step = (id: string) => planned.steps.find((s) => s.id === id);
    const members = ['demo-etcd-0', 'demo-etcd-1', 'demo-etcd-2'].map(
      (name) => `gce.etcdMember/${name}`,
    );
    expect(members.map((id) => step(id)?.action)).toEqual(['update', 'update', 'update']);
    expect(step(members[1] ?? '')?.dependsOn).toContain(members[0]);
    expect(step(members[2] ?? '')?.dependsOn).toContain(members[1]);
    expect(step('gce.instanceGroup/demo-controller')?.action).toBe('update');
    expect(step('gce.instanceGroup/demo-controller')?.dependsOn).toEqual(
      expect.arrayContaining(members),
    );
    expect(step('gce.instanceGroup/demo-worker')?.dependsOn).toContain(
      'gce.instanceGroup/demo-controller',
    );

    world.emulator.clearLog();
    // When each member's roll starts, every member is up: quorum is never at stake.
    const upAtStart: number[] = [];
    const onEvent = (event: EngineEvent) => {
      if (event.type === 'resource.start' && event.step.type === 'gce.etcdMember') {
        upAtStart.push(etcdInstances(world).filter((i) => i.resource.status === 'RUNNING').length);
      }
    };
    await apply(planned, { retry: FAST_RETRY, concurrency: 16, onEvent });
    expect(upAtStart).toEqual([3, 3, 3]);

    const log = world.emulator.log;
    const windows = [
      'demo-etcd-0',
      'demo-etcd-1',
      'demo-etcd-2',
      'demo-controller',
      'demo-worker',
    ].map((group) => windowOf(log, group));
    // A member: its config stored, then re-created; a group: patched to its new template.
    expect(windows.map((w) => w?.changes)).toEqual([2, 2, 2, 1, 1]);
    for (const [index, window] of windows.entries()) {
      expect(window, `group ${index} changed`).toBeDefined();
      const previous = windows[index - 1];
      if (previous !== undefined && window !== undefined) {
        // Each starts only after the previous one was seen settled.
        expect(window.start).toBeGreaterThan(previous.end);
      }
    }
    const again = await plan(inputOf(next), world.provider(next), {
      owner: world.owner,
      retry: FAST_RETRY,
    });
    expect(again.summary.changes).toBe(0);
  });

  it('finishes a member whose new config was stored but never booted (a roll cut short)', async () => {
    await converge(modelWith('1.35.9'));
    const next = modelWith('1.36.4');
    const input = inputOf(next);
    const newUserData = input.bootConfigs.etcd['demo-etcd-1'] ?? '';
    const [stored] = world.emulator
      .resources(/instanceGroupManagers\/demo-etcd-1\/perInstanceConfigs\/demo-etcd-1$/)
      .map((r) => r.resource);
    // What an apply killed between storing the config and re-creating the member leaves.
    const clients = computeClients(world.emulator);
    await done(
      clients,
      clients.regionInstanceGroupManagers.updatePerInstanceConfigs({
        project: PROJECT,
        region: 'europe-west1',
        instanceGroupManager: 'demo-etcd-1',
        regionInstanceGroupManagerUpdateInstanceConfigReqResource: {
          perInstanceConfigs: [
            {
              name: 'demo-etcd-1',
              preservedState: {
                ...(stored?.preservedState as object),
                metadata: { 'user-data': newUserData },
              },
            },
          ],
        },
      }),
    );
    await clients.close();
    const resumed = await plan(input, world.provider(next), {
      owner: world.owner,
      retry: FAST_RETRY,
    });
    const members = resumed.steps.filter((s) => s.type === 'gce.etcdMember');
    // demo-etcd-1's stored config is already the new one; its instance still runs the old.
    expect(members.map((s) => `${s.action} ${s.name}`)).toEqual([
      'update demo-etcd-0',
      'update demo-etcd-1',
      'update demo-etcd-2',
    ]);
    await apply(resumed, { retry: FAST_RETRY, concurrency: 16 });
    const booted = etcdInstances(world).find((i) => i.path.endsWith('/demo-etcd-1'))?.resource;
    const metadata = (booted?.metadata ?? {}) as { items?: { key: string; value: string }[] };
    const items = metadata.items ?? [];
    expect(items.find((i) => i.key === 'user-data')?.value).toBe(newUserData);
    const again = await plan(input, world.provider(next), {
      owner: world.owner,
      retry: FAST_RETRY,
    });
    expect(again.summary.changes).toBe(0);
  });

  it('grows etcd from 3 to 5 members without touching the three that run', async () => {
    await converge(modelWith('1.36.4'));
    const before = new Map(etcdInstances(world).map((i) => [i.path, i.resource.id]));
    const bigger = modelWith('1.36.4', 5);
    const planned = await plan(inputOf(bigger), world.provider(bigger), {
      owner: world.owner,
      retry: FAST_RETRY,
    });
    const etcdSteps = planned.steps.filter((s) => s.type === 'gce.etcdMember');
    expect(etcdSteps.map((s) => `${s.action} ${s.name}`)).toEqual([
      'noop demo-etcd-0',
      'noop demo-etcd-1',
      'noop demo-etcd-2',
      'create demo-etcd-3',
      'create demo-etcd-4',
    ]);
    await apply(planned, { retry: FAST_RETRY, concurrency: 16 });
    const after = new Map(etcdInstances(world).map((i) => [i.path, i.resource.id]));
    expect(after.size).toBe(5);
    for (const [path, id] of before) expect(after.get(path)).toBe(id);
    const again = await plan(inputOf(bigger), world.provider(bigger), {
      owner: world.owner,
      retry: FAST_RETRY,
    });
    expect(again.summary.changes).toBe(0);
  });

  it('refuses to skip a minor or to go back one, and says what to do', async () => {
    await converge(modelWith('1.35.9'));
    const skip = modelWith('1.37.1');
    await expect(
      plan(inputOf(skip), world.provider(skip), { owner: world.owner, retry: FAST_RETRY }),
    ).rejects.toMatchObject({ code: VERSION_SKIP_CODE, hint: expect.stringContaining('1.36') });

    await converge(modelWith('1.36.4'));
    const back = modelWith('1.35.9');
    await expect(
      plan(inputOf(back), world.provider(back), { owner: world.owner, retry: FAST_RETRY }),
    ).rejects.toMatchObject({ code: VERSION_DOWNGRADE_CODE });
    const patch = modelWith('1.36.1');
    const planned = await plan(inputOf(patch), world.provider(patch), {
      owner: world.owner,
      retry: FAST_RETRY,
    });
    expect(planned.summary.changes).toBeGreaterThan(0);
  });
});
