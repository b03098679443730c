import { describe, expect, it } from 'vitest';
import { apply, type EngineEvent, plan, type Resource } from '../../src/engine/index.js';
import { createMockProvider, type MockCall, type MockSpec } from '../../src/testing/index.js';
import { owner } from './fixtures.js';

const MEMBERS = 4;

const typesAfterDisk = [{ type: 'mock.member', forceNew: ['zone'] }, { type: 'mock.group' }];

function provider() {
  return createMockProvider({ types: [{ type: 'mock.disk' }, ...typesAfterDisk], latencyMs: 15 });
}

function graph(version: string, zoneOfLast = 'a', serial = true): Resource<MockSpec>[] {
  const members: Resource<MockSpec>[] = Array.from({ length: MEMBERS }, (_, index) => ({
    type: 'mock.member',
    name: `etcd-${index}`,
    spec: { version, zone: index === MEMBERS - 1 ? zoneOfLast : 'a' },
    ...(serial ? { serialGroup: 'etcd' } : {}),
  }));
  const group: Resource<MockSpec> = {
    type: 'mock.group',
    name: 'controllers',
    spec: { version },
    dependsOn: members,
  };
  return [...members, group];
}

// Every pair of provider calls on these names that overlapped in time.
function overlaps(calls: readonly MockCall[], names: ReadonlySet<string>): string[] {
  const relevant = calls.filter(
    (c) => c.name !== undefined && names.has(c.name) && c.operation !== 'list',
  );
  const found: string[] = [];
  for (const [i, a] of relevant.entries()) {
    for (const b of relevant.slice(i + 1)) {
      if (a.name === b.name) continue;
      const aEnd = a.endedAt ?? Number.POSITIVE_INFINITY;
      const bEnd = b.endedAt ?? Number.POSITIVE_INFINITY;
      if (a.startedAt < bEnd && b.startedAt < aEnd) found.push(`${a.name}~${b.name}`);
    }
  }
  return found;
}

const memberNames = new Set(Array.from({ length: MEMBERS }, (_, i) => `etcd-${i}`));

describe('serial groups', () => {
  it('creates the members of a group together, then updates and replaces them one at a time', async () => {
    const mock = provider();
    await apply(await plan({ resources: graph('1') }, mock, { owner }), { concurrency: 8 });
    // Creation is not serialised: a new etcd cluster's members must boot together.
    expect(overlaps(mock.cloud.calls, memberNames).length).toBeGreaterThan(0);

    const before = mock.cloud.calls.length;
    const planned = await plan({ resources: graph('2', 'b') }, mock, { owner });
    const step = (name: string) => planned.steps.find((s) => s.name === name);
    expect(planned.steps.filter((s) => s.type === 'mock.member').map((s) => s.action)).toEqual([
      'update',
      'update',
      'update',
      'replace',
    ]);
    // The order is in the plan: each member waits for the one before it.
    for (let index = 1; index < MEMBERS; index++) {
      expect(step(`etcd-${index}`)?.dependsOn).toContain(`mock.member/etcd-${index - 1}`);
    }
    expect(step('controllers')?.dependsOn).toContain(`mock.member/etcd-${MEMBERS - 1}`);
    // The table view of a plan shows the order too; a replace keeps its own reason first.
    expect(step('etcd-0')?.reason).toBeUndefined();
    expect(step('etcd-1')?.reason).toBe('one at a time in etcd, after mock.member/etcd-0');
    expect(step(`etcd-${MEMBERS - 1}`)?.reason).toMatch(
      new RegExp(`^.+; one at a time in etcd, after mock\\.member/etcd-${MEMBERS - 2}$`),
    );

    const events: EngineEvent[] = [];
    await apply(planned, { concurrency: 8, onEvent: (event) => events.push(event) });
    expect(overlaps(mock.cloud.calls.slice(before), memberNames)).toEqual([]);
    const order = events
      .filter((e) => e.type === 'resource.start' || e.type === 'resource.done')
      .map((e) => `${e.type === 'resource.start' ? 'start' : 'done'} ${e.step.name}`);
    expect(order).toEqual([
      ...[...memberNames].flatMap((name) => [`start ${name}`, `done ${name}`]),
      'start controllers',
      'done controllers',
    ]);
    const again = await plan({ resources: graph('2', 'b') }, mock, { owner });
    expect(again.summary.changes).toBe(0);
  });

  it('lets members outside a group change at once, so the group is what orders them', async () => {
    const mock = provider();
    await apply(await plan({ resources: graph('1', 'a', false) }, mock, { owner }), {
      concurrency: 8,
    });
    const before = mock.cloud.calls.length;
    const planned = await plan({ resources: graph('2', 'a', false) }, mock, { owner });
    await apply(planned, { concurrency: 8 });
    expect(overlaps(mock.cloud.calls.slice(before), memberNames).length).toBeGreaterThan(0);
  });

  it('does not order re-creations forced by a shared object they refer to (no deadlock)', async () => {
    const withDisk = (zone: string): Resource<MockSpec>[] => {
      const disk: Resource<MockSpec> = { type: 'mock.disk', name: 'shared', spec: { zone } };
      return [
        disk,
        ...graph('1').map((r) =>
          r.type === 'mock.member' ? { ...r, dependsOn: [disk], references: [disk] } : r,
        ),
      ];
    };
    const mock = createMockProvider({
      types: [{ type: 'mock.disk', forceNew: ['zone'] }, ...typesAfterDisk],
      latencyMs: 5,
    });
    await apply(await plan({ resources: withDisk('a') }, mock, { owner }), { concurrency: 8 });
    const planned = await plan({ resources: withDisk('b') }, mock, { owner });
    // The disk cannot go while any member refers to it: all go first, then come back.
    expect(planned.steps.filter((s) => s.type === 'mock.member').map((s) => s.action)).toEqual([
      'delete',
      'delete',
      'delete',
      'delete',
      'create',
      'create',
      'create',
      'create',
    ]);
    await apply(planned, { concurrency: 8, timeouts: { stepMs: 5_000 } });
    expect((await plan({ resources: withDisk('b') }, mock, { owner })).summary.changes).toBe(0);
  });

  it('resumes a roll that stopped half-way: the members done are no-ops, the rest still in turn', async () => {
    const mock = provider();
    await apply(await plan({ resources: graph('1') }, mock, { owner }), { concurrency: 8 });
    const first = await plan({ resources: graph('2') }, mock, { owner });
    const controller = new AbortController();
    await expect(
      apply(first, {
        concurrency: 8,
        signal: controller.signal,
        onEvent: (event) => {
          if (event.type === 'resource.done' && event.step.name === 'etcd-1') controller.abort();
        },
      }),
    ).rejects.toThrow();
    const resumed = await plan({ resources: graph('2') }, mock, { owner });
    const actions = resumed.steps.filter((s) => s.type === 'mock.member').map((s) => s.action);
    expect(actions).toEqual(['noop', 'noop', 'update', 'update']);
    expect(resumed.steps.find((s) => s.name === 'etcd-3')?.dependsOn).toContain(
      'mock.member/etcd-2',
    );
    const before = mock.cloud.calls.length;
    await apply(resumed, { concurrency: 8 });
    expect(overlaps(mock.cloud.calls.slice(before), memberNames)).toEqual([]);
    expect((await plan({ resources: graph('2') }, mock, { owner })).summary.changes).toBe(0);
  });
});
