import { apply, plan } from '@hakoc/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CallLogEntry } from '../../src/emulator/index.js';
import { exampleModel, FAST_RETRY, type GceWorld, inputOf, startWorld } from './fixtures.js';

// What a call reads: `list <collection path>` for a list (its last segment names a collection or
// a list verb), `get <path>` for one object.
const SINGLE_OBJECT_PARENTS = /\/(projects|regions|zones|managedZones)\/[^/]+$/;

function readOf(entry: CallLogEntry): string {
  const path = entry.path.replace(/^\/(compute|dns)\/v1\//, '');
  if (/\/list[A-Za-z]*$/.test(path)) return `list ${path}`;
  return SINGLE_OBJECT_PARENTS.test(`/${path}`) ? `get ${path}` : `list ${path}`;
}

describe('the example HA cluster on the emulator', () => {
  let world: GceWorld;
  beforeEach(async () => {
    world = await startWorld();
  });
  afterEach(async () => {
    await world.close();
  });

  it('applies from empty, then plans no change with a few list calls per type', async () => {
    const model = exampleModel();
    const provider = world.provider(model);
    const input = inputOf(model);
    const first = await plan(input, provider, { owner: world.owner, retry: FAST_RETRY });
    expect(first.summary.create).toBe(first.steps.length);
    const result = await apply(first, { retry: FAST_RETRY, concurrency: 16 });
    expect(result.totals.failed).toBe(0);
    world.emulator.clearLog();
    const again = await plan(input, provider, { owner: world.owner, retry: FAST_RETRY });
    expect(again.steps.filter((s) => s.action !== 'noop')).toEqual([]);

    const calls = world.emulator.log;
    // Nothing changes: every call is a read (GCE's listPerInstanceConfigs is a POST).
    expect(calls.filter((e) => e.method !== 'GET' && !/\/list[A-Za-z]*$/.test(e.path))).toEqual([]);
    const reads = calls.map(readOf);
    // Single objects are read by the preflight only: the project, the region, the DNS zone.
    expect(reads.filter((r) => r.startsWith('get ')).sort()).toEqual([
      'get projects/my-project',
      'get projects/my-project/managedZones/example-com',
      'get projects/my-project/regions/europe-west1',
    ]);
    // Each collection is listed at most twice (instance group managers hold two of our types).
    const perList = new Map<string, number>();
    for (const read of reads) perList.set(read, (perList.get(read) ?? 0) + 1);
    for (const [read, count] of perList) expect(count, read).toBeLessThanOrEqual(2);
    // The one read per object: each etcd member's per-instance config (its IP, disk, config).
    const perMember = reads.filter((r) => r.endsWith('/listPerInstanceConfigs'));
    expect(perMember).toHaveLength(model.machineSets.etcd.count);
    const types = provider.types.length;
    expect(reads.length - perMember.length).toBeLessThanOrEqual(2 * types);
    console.log(
      `no-op re-plan: ${calls.length} calls (${types} resource types, ${perMember.length} per-member reads, ${calls.filter((e) => e.method === 'GET').length} GETs)`,
    );
  });
});
