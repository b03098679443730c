import { apply, isProviderError, plan } from '@hakoc/core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FaultKind } from '../../src/emulator/index.js';
import { DNS_RECORD_TYPE } from '../../src/resources/dns-record.js';
import { exampleModel, FAST_RETRY, type GceWorld, inputOf, startWorld } from './fixtures.js';
import {
  faultsAtFirstCreate,
  ONE_RECORD,
  recordOnly,
  recordSetsAt,
  ZONE_CHANGES,
  ZONE_RRSETS,
} from './one-dns-record.js';

// Cloud DNS calls whose connection dies, or whose answer is not JSON, now that the client sends
// each request once (dns-sent-once.test.ts): the engine must see them as failures to try again,
// and a record list must never read an unparsable answer as a zone without records.

const RECORD = ONE_RECORD;

describe('Cloud DNS calls that fail in transport', () => {
  let world: GceWorld;
  beforeAll(async () => {
    world = await startWorld({ seed: 4 });
  });
  beforeEach(async () => {
    await world.reset(4);
  });
  afterAll(async () => {
    await world.close();
  });

  it.each<FaultKind>(['connectionReset', 'responseLost'])(
    'a change whose connection died (%s) is retried and the record made once',
    async (fault) => {
      const provider = recordOnly(
        world.provider(),
        faultsAtFirstCreate(world.emulator, {
          rules: [{ method: 'POST', pathPattern: ZONE_CHANGES, error: fault }],
        }),
      );
      const planned = await plan(inputOf(exampleModel()), provider, {
        owner: world.owner,
        retry: FAST_RETRY,
      });
      const retries: string[] = [];
      await apply(planned, {
        retry: FAST_RETRY,
        onEvent: (event) => {
          if (event.type === 'resource.retry') retries.push(event.reason ?? '');
        },
      });
      expect(retries[0]).toBe('unavailable');
      const records = recordSetsAt(world.emulator, RECORD.name).map((record) => record.type);
      expect(records.sort()).toEqual(['A', 'TXT']);
    },
  );

  it.each<FaultKind>(['malformedResponse', 'truncatedResponse'])(
    'a record list answered with %s fails to be tried again, not as an empty zone',
    async (fault) => {
      const provider = world.provider();
      const type = provider.types.find((candidate) => candidate.type === DNS_RECORD_TYPE);
      if (type === undefined) throw new Error('no DNS record type');
      world.emulator.setFaults({
        rules: [{ method: 'GET', pathPattern: ZONE_RRSETS, error: fault }],
      });
      const failure = await type
        .list({ owner: world.owner, signal: AbortSignal.timeout(10_000) }, world.owner)
        .then(
          () => undefined,
          (error: unknown) => error,
        );
      expect(isProviderError(failure) && failure.reason).toBe('unavailable');
      expect(isProviderError(failure) && failure.retryable).toBe(true);
      // The next answer is whole: the zone lists as it is.
      await expect(
        type.list({ owner: world.owner, signal: AbortSignal.timeout(10_000) }, world.owner),
      ).resolves.toEqual([]);
    },
  );
});
