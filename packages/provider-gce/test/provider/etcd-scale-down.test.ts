import {
  apply,
  buildClusterModel,
  type ClusterModel,
  destroy,
  ETCD_LEAVE_METADATA_KEY,
  isApplyError,
  plan,
  readClusterSpecFile,
} from '@hakoc/core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { REFUSAL } from './etcd-guests.js';
import { EXAMPLE_SPEC_PATH, FAST_RETRY, type GceWorld, inputOf, startWorld } from './fixtures.js';

// Scaling etcd down on the emulator through the real clients: each member the plan deletes is
// asked to leave through its instance metadata and its group deleted once it answers, one
// member at a time; the emulated VMs answer as the rendered etcd-member-leave-watch unit does.

const example = await readClusterSpecFile(EXAMPLE_SPEC_PATH);
if (!example.ok) throw new Error('examples/gce.yaml is invalid');
const { spec } = example;
const withMembers = (count: number): ClusterModel =>
  buildClusterModel({ ...spec, spec: { ...spec.spec, etcd: { ...spec.spec.etcd, count } } });

let world: GceWorld;
const hasGroup = (name: string) =>
  world.emulator.resources(new RegExp(`/instanceGroupManagers/${name}$`)).length > 0;
const instanceOf = (name: string) =>
  world.emulator.resources(new RegExp(`/instances/${name}$`))[0]?.resource;

async function applyModel(model: ClusterModel, options = {}) {
  const provider = world.provider(model, options);
  return apply(await plan(inputOf(model), provider, { owner: world.owner }), {
    retry: FAST_RETRY,
    concurrency: 16,
  });
}

beforeAll(async () => {
  world = await startWorld();
});
afterAll(async () => {
  await world?.close();
});
beforeEach(async () => {
  await world.reset();
  await applyModel(withMembers(5));
}, 60_000);

describe('scaling etcd down on GCE', () => {
  it('5 → 3: asks members 3 and 4 to leave, deletes each group once its member left, one at a time, and leaves 0–2 alone', {
    timeout: 60_000,
  }, async () => {
    const kept = ['demo-etcd-0', 'demo-etcd-1', 'demo-etcd-2'];
    const idsBefore = kept.map((name) => instanceOf(name)?.id);
    // When a member is asked, every member asked before it is gone, group and all.
    const goneWhenNextAsked: boolean[] = [];
    const stop = world.emulator.onInstanceMetadata(({ items }) => {
      if (items[ETCD_LEAVE_METADATA_KEY] === undefined) return;
      const before = world.etcdGuests.asked.slice(0, -1);
      goneWhenNextAsked.push(...before.map((name) => !hasGroup(name)));
    });
    world.emulator.clearLog();
    const result = await applyModel(withMembers(3));
    stop();

    expect([...world.etcdGuests.asked].sort()).toEqual(['demo-etcd-3', 'demo-etcd-4']);
    expect(goneWhenNextAsked).toEqual([true]);
    for (const name of ['demo-etcd-3', 'demo-etcd-4']) {
      expect(hasGroup(name)).toBe(false);
      expect(instanceOf(name)).toBeUndefined();
    }
    expect(result.finished.map((s) => `${s.action} ${s.type}/${s.name}`)).toEqual(
      expect.arrayContaining([
        'delete gce.etcdMember/demo-etcd-3',
        'delete gce.etcdMember/demo-etcd-4',
      ]),
    );
    // Members that stay: never asked, never touched.
    expect(kept.map((name) => instanceOf(name)?.id)).toEqual(idsBefore);
    // (list verbs are POSTs that read.)
    const touched = world.emulator.log.filter(
      (call) =>
        call.method !== 'GET' &&
        !/\/list[A-Z]\w*$/.test(call.path) &&
        /demo-etcd-[012]\b/.test(call.path),
    );
    expect(touched).toEqual([]);
    // Asked with guest attributes enabled, through the metadata of the instance itself.
    const asked = world.emulator.log.filter((call) => call.path.endsWith('/setMetadata'));
    expect(asked.map((call) => call.path.split('/').at(-2)).sort()).toEqual([
      'demo-etcd-3',
      'demo-etcd-4',
    ]);

    const again = await plan(inputOf(withMembers(3)), world.provider(withMembers(3)), {
      owner: world.owner,
    });
    expect(again.steps.filter((s) => s.action !== 'noop')).toEqual([]);
  });

  it('fails the step clearly and keeps the group when a member never answers', {
    timeout: 60_000,
  }, async () => {
    world.etcdGuests.behaviour = 'silent';
    const failure = await applyModel(withMembers(4), { etcdLeave: { timeoutMs: 1500, pollMs: 50 } })
      .then(() => undefined)
      .catch((error: unknown) => error);
    expect(isApplyError(failure)).toBe(true);
    if (!isApplyError(failure)) return;
    expect(failure.failed.map((f) => `${f.step.action} ${f.step.type}/${f.step.name}`)).toEqual([
      'delete gce.etcdMember/demo-etcd-4',
    ]);
    const error = failure.failed[0]?.error;
    expect(error?.message).toMatch(
      /etcd member demo-etcd-4 did not report leaving the cluster within 1500 ms/,
    );
    expect(error?.reason).toBe('timeout');
    expect(error?.retryable).toBe(false);
    expect(error?.hint).toMatch(/hakoc etcd remove-member/);
    expect(world.etcdGuests.asked).toEqual(['demo-etcd-4']);
    expect(hasGroup('demo-etcd-4')).toBe(true);
    expect(instanceOf('demo-etcd-4')?.status).toBe('RUNNING');
  });

  it("fails the step with the member's reason and keeps the group when the member refuses", {
    timeout: 60_000,
  }, async () => {
    world.etcdGuests.behaviour = 'refuse';
    const failure = await applyModel(withMembers(4))
      .then(() => undefined)
      .catch((error: unknown) => error);
    expect(isApplyError(failure)).toBe(true);
    if (!isApplyError(failure)) return;
    const error = failure.failed[0]?.error;
    expect(error?.message).toBe(
      `etcd member demo-etcd-4 refused to leave the cluster: ${REFUSAL}.`,
    );
    expect(error?.retryable).toBe(false);
    expect(hasGroup('demo-etcd-4')).toBe(true);

    // Once it can leave, the next apply asks again and finishes.
    world.etcdGuests.behaviour = 'leave';
    await applyModel(withMembers(4));
    expect(hasGroup('demo-etcd-4')).toBe(false);
    expect(world.etcdGuests.asked).toEqual(['demo-etcd-4', 'demo-etcd-4']);
  });

  it('asks no member to leave when the whole cluster is destroyed', {
    timeout: 60_000,
  }, async () => {
    world.etcdGuests.behaviour = 'silent';
    await destroy(world.owner, world.provider(withMembers(5)), { retry: FAST_RETRY });
    expect(world.etcdGuests.asked).toEqual([]);
    expect(world.emulator.resources(/instanceGroupManagers\/demo-etcd/)).toEqual([]);
  });
});
