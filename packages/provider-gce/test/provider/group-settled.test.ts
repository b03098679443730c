import { isProviderError, ProviderError } from '@hakoc/core';
import { describe, expect, it } from 'vitest';
import type { InstanceGroupManager } from '../../src/compute-types.js';
import type { GceApi } from '../../src/gce-api.js';
import { unsettledBecause, waitUntilGroupSettled } from '../../src/group-settled.js';

const settledGroup: InstanceGroupManager = {
  targetSize: 1,
  status: {
    isStable: true,
    versionTarget: { isReached: true },
    stateful: { perInstanceConfigs: { allEffective: true } },
  },
};
const runningIdle = [{ instanceStatus: 'RUNNING', currentAction: 'NONE' }];

describe('when a rolled group counts as settled', () => {
  it('is settled when stable, on its template and configs, with its machines running idle', () => {
    expect(unsettledBecause(settledGroup, runningIdle)).toBeUndefined();
  });

  it('is not while any of those is missing, and says which', () => {
    const status = settledGroup.status ?? {};
    expect(
      unsettledBecause({ ...settledGroup, status: { ...status, isStable: false } }, runningIdle),
    ).toMatch(/not stable/);
    expect(
      unsettledBecause(
        { ...settledGroup, status: { ...status, versionTarget: { isReached: false } } },
        runningIdle,
      ),
    ).toMatch(/old template/);
    expect(
      unsettledBecause(
        {
          ...settledGroup,
          status: { ...status, stateful: { perInstanceConfigs: { allEffective: false } } },
        },
        runningIdle,
      ),
    ).toMatch(/per-instance config/);
    expect(
      unsettledBecause(settledGroup, [{ instanceStatus: 'STAGING', currentAction: 'CREATING' }]),
    ).toMatch(/0 of 1/);
    expect(
      unsettledBecause(settledGroup, [{ instanceStatus: 'RUNNING', currentAction: 'VERIFYING' }]),
    ).toMatch(/0 of 1/);
  });
});

// A GceApi that answers the two reads of the wait from a script of group states.
function scriptedApi(states: readonly (readonly [InstanceGroupManager, readonly object[]])[]) {
  let reads = 0;
  const api = {
    project: 'p',
    region: 'r',
    call: async (
      _site: unknown,
      _signal: AbortSignal,
      fn: (clients: unknown) => Promise<unknown>,
    ) =>
      fn({
        regionInstanceGroupManagers: {
          get: async () => [states[Math.min(Math.floor(reads++ / 2), states.length - 1)]?.[0]],
          listManagedInstances: async () => [
            states[Math.min(Math.floor(reads++ / 2), states.length - 1)]?.[1],
          ],
        },
      }),
  };
  return { api: api as unknown as GceApi, reads: () => reads };
}

describe('waitUntilGroupSettled', () => {
  const site = { operation: 'update' as const, resource: 'gce.etcdMember/demo-etcd-0' };
  const rolling: readonly [InstanceGroupManager, readonly object[]] = [
    { ...settledGroup, status: { ...settledGroup.status, isStable: false } },
    [{ instanceStatus: 'STOPPING', currentAction: 'RECREATING' }],
  ];

  it('polls until the group settles and reports each new reason once', async () => {
    const { api, reads } = scriptedApi([rolling, rolling, rolling, [settledGroup, runningIdle]]);
    const progress: string[] = [];
    await waitUntilGroupSettled(api, {
      group: 'demo-etcd-0',
      site,
      signal: AbortSignal.timeout(10_000),
      progress: (message) => progress.push(message),
    });
    expect(reads()).toBe(8);
    expect(progress).toEqual(['waiting for demo-etcd-0 to settle: the group is not stable yet']);
  });

  it('gives up with a timeout error that says why, when the group never settles', async () => {
    const { api } = scriptedApi([rolling]);
    const error = await waitUntilGroupSettled(api, {
      group: 'demo-etcd-0',
      site,
      signal: AbortSignal.timeout(10_000),
      timeoutMs: 200,
    }).catch((e: unknown) => e);
    expect(isProviderError(error) && error.reason).toBe('timeout');
    expect(String((error as Error).message)).toContain('not stable');
  });

  it('reads again after a read failed for a while, and gives up on one that cannot succeed', async () => {
    let calls = 0;
    const flaky = (reason: 'unavailable' | 'permission') =>
      ({
        project: 'p',
        region: 'r',
        call: async (
          _site: unknown,
          _signal: AbortSignal,
          fn: (c: unknown) => Promise<unknown>,
        ) => {
          calls += 1;
          if (calls <= 2) {
            throw new ProviderError('GCE: 503', { provider: 'gce', operation: 'update', reason });
          }
          return fn({
            regionInstanceGroupManagers: {
              get: async () => [settledGroup],
              listManagedInstances: async () => [runningIdle],
            },
          });
        },
      }) as unknown as GceApi;
    const signal = AbortSignal.timeout(10_000);
    await waitUntilGroupSettled(flaky('unavailable'), { group: 'g', site, signal });
    expect(calls).toBe(4);
    calls = 0;
    await expect(
      waitUntilGroupSettled(flaky('permission'), { group: 'g', site, signal }),
    ).rejects.toMatchObject({ reason: 'permission' });
    // One round only: the group and its machines, read side by side.
    expect(calls).toBe(2);
  });

  it('waits on the operation of a machine being created instead of polling, then reads again', async () => {
    const instance =
      'https://compute.googleapis.com/compute/v1/projects/p/zones/z-b/instances/demo-etcd-0';
    const creating: readonly [InstanceGroupManager, readonly object[]] = [
      { ...settledGroup, status: { ...settledGroup.status, isStable: false } },
      [{ instance, instanceStatus: 'STAGING', currentAction: 'CREATING' }],
    ];
    const { api, reads } = scriptedApi([creating, [settledGroup, runningIdle]]);
    const machineOperation = { name: 'op-vm', status: 'RUNNING', targetLink: instance };
    const otherOperation = {
      name: 'op-other',
      status: 'RUNNING',
      targetLink: instance.replace('demo-etcd-0', 'someone-else'),
    };
    const listed: unknown[] = [];
    const waited: unknown[] = [];
    const call = api.call.bind(api);
    const withOperations = Object.assign(api, {
      call: (site: never, signal: AbortSignal, fn: (clients: never) => Promise<unknown>) =>
        call(site, signal, (clients) =>
          fn({
            ...(clients as object),
            zoneOperations: {
              list: async (request: unknown) => {
                listed.push(request);
                return [[machineOperation, otherOperation]];
              },
            },
          } as never),
        ),
      wait: async (_site: unknown, _signal: AbortSignal, operation: unknown) => {
        waited.push(operation);
        return { ...machineOperation, status: 'DONE' };
      },
    }) as unknown as GceApi;
    await waitUntilGroupSettled(withOperations, {
      group: 'demo-etcd-0',
      site,
      signal: AbortSignal.timeout(10_000),
    });
    expect(listed).toEqual([{ project: 'p', zone: 'z-b', filter: 'status != "DONE"' }]);
    expect(waited).toEqual([machineOperation]);
    // One read before the wait, one after it: nothing polled in between.
    expect(reads()).toBe(4);
  });

  it('stops at once when the step is aborted', async () => {
    const { api } = scriptedApi([rolling]);
    const controller = new AbortController();
    const waiting = waitUntilGroupSettled(api, { group: 'g', site, signal: controller.signal });
    setTimeout(() => controller.abort(new Error('cancelled')), 50);
    await expect(waiting).rejects.toMatchObject({ name: 'AbortError' });
  });
});
