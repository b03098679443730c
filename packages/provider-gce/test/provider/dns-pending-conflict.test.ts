import { apply, type EngineEvent, isApplyError, plan } from '@hakoc/core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  EXAMPLE_ZONE,
  exampleModel,
  FAST_RETRY,
  type GceWorld,
  inputOf,
  startWorld,
} from './fixtures.js';
import {
  faultsAtFirstCreate,
  ONE_RECORD,
  recordOnly,
  recordSetsAt,
  ZONE_CHANGES,
} from './one-dns-record.js';

// A record insert answered 409 while listing the zone shows no record at its name: a change
// adding them is accepted but still being applied (ours, whose answer was lost, or someone
// else's). The fault storms found it (rate 0.15, seed 2); here the emulator's fault rule stands
// for that answer on the first insert, on a world seeded the same way. The step must wait (retry
// as not-ready) and then tell whose records they are: ours finish, someone else's are refused.

const PROJECT = 'my-project';
const RECORD = ONE_RECORD;
/** The first insert of a change is refused as a conflict, as while a change is being applied. */
const CONFLICT_WHILE_PENDING = {
  rules: [
    {
      method: 'POST',
      pathPattern: ZONE_CHANGES,
      error: {
        status: 409,
        reason: 'alreadyExists',
        message: `The resource 'entity.change.additions[0]' named '${RECORD.name} (A)' already exists`,
      },
      times: 1,
    },
  ],
};

describe('a DNS record insert that conflicts while no record is visible', () => {
  let world: GceWorld;
  beforeAll(async () => {
    world = await startWorld({ seed: 2 });
  });
  beforeEach(async () => {
    await world.reset(2);
  });
  afterAll(async () => {
    await world.close();
  });

  const recordsAtName = () => recordSetsAt(world.emulator, RECORD.name);

  /** Adds records at the name through Cloud DNS, as another tool would. */
  const addForeignRecords = async () => {
    const response = await fetch(
      `${world.emulator.dnsBaseUrl}/projects/${PROJECT}/managedZones/${EXAMPLE_ZONE.name}/changes`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          additions: [{ name: RECORD.name, type: 'A', ttl: 300, rrdatas: ['192.0.2.9'] }],
        }),
      },
    );
    expect(response.status).toBe(200);
  };

  /** Plans and applies the one record, collecting the engine's events. */
  const applyRecord = async (
    onEvent: (event: EngineEvent) => void = () => {},
    beforeCreate: () => Promise<unknown> = async () => {},
  ) => {
    const events: EngineEvent[] = [];
    const provider = recordOnly(world.provider(), beforeCreate);
    const planned = await plan(inputOf(exampleModel()), provider, {
      owner: world.owner,
      retry: FAST_RETRY,
    });
    expect(planned.steps.map((step) => [step.action, step.name])).toEqual([
      ['create', RECORD.name],
    ]);
    await apply(planned, {
      retry: FAST_RETRY,
      onEvent: (event) => {
        events.push(event);
        onEvent(event);
      },
    });
    return { events, provider };
  };

  it('retries our own insert as not-ready and finishes, without deleting anything', async () => {
    const { events, provider } = await applyRecord(
      () => {},
      faultsAtFirstCreate(world.emulator, CONFLICT_WHILE_PENDING),
    );
    const retries = events.filter((event) => event.type === 'resource.retry');
    expect(retries).toHaveLength(1);
    expect(retries[0]).toMatchObject({
      step: { name: RECORD.name },
      operation: 'create',
      reason: 'not-ready',
      message: expect.stringMatching(/change still in progress/),
    });
    expect(events.some((e) => e.type === 'resource.done' && e.step.name === RECORD.name)).toBe(
      true,
    );
    // The lock taken, one refused insert, one that went through (the retry had nothing to
    // delete), the lock released.
    const changes = world.emulator.log.filter(
      (e) => e.method === 'POST' && ZONE_CHANGES.test(e.path),
    );
    expect(changes.map((e) => e.status)).toEqual([200, 409, 200, 200]);
    expect(recordsAtName().map((r) => [r.type, r.rrdatas])).toEqual([
      ['A', ['10.0.0.7']],
      ['TXT', ['"hakoc-managed=true hakoc-cluster=demo"']],
    ]);
    const again = await plan(inputOf(exampleModel()), provider, {
      owner: world.owner,
      retry: FAST_RETRY,
    });
    expect(again.summary.changes).toBe(0);
  });

  it('refuses as a conflict records that turn out to be someone else’s once their change shows', async () => {
    const conflictOnce = faultsAtFirstCreate(world.emulator, CONFLICT_WHILE_PENDING);
    // The other tool's change becomes visible while the step waits to try again (the retry
    // waits for it, rather than racing it).
    const foreignShown: Promise<void>[] = [];
    const failure = await applyRecord(
      (event) => {
        if (event.type === 'resource.retry' && foreignShown.length === 0) {
          foreignShown.push(addForeignRecords());
        }
      },
      async () => {
        await conflictOnce();
        await Promise.all(foreignShown);
      },
    ).then(
      () => undefined,
      (error: unknown) => error,
    );
    await Promise.all(foreignShown);
    expect(foreignShown).toHaveLength(1);
    expect(isApplyError(failure)).toBe(true);
    const cause = isApplyError(failure) ? failure.failed[0]?.error : undefined;
    expect(cause?.reason).toBe('conflict');
    expect(cause?.message).toMatch(/not cluster demo's/);
    // Their record is as they left it, and none of ours was added beside it.
    expect(recordsAtName().map((r) => [r.type, r.rrdatas])).toEqual([['A', ['192.0.2.9']]]);
  });

  it('refuses at once records someone else already has, without waiting', async () => {
    await addForeignRecords();
    const events: EngineEvent[] = [];
    const failure = await applyRecord((event) => events.push(event)).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(isApplyError(failure)).toBe(true);
    expect(events.filter((event) => event.type === 'resource.retry')).toEqual([]);
    expect(recordsAtName().map((r) => [r.type, r.rrdatas])).toEqual([['A', ['192.0.2.9']]]);
  });
});
