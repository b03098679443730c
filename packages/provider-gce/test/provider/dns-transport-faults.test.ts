import { apply, isProviderError, plan, type Resource } from '@hakoc/core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FaultKind } from '../../src/emulator/index.js';
import type { GceProvider } from '../../src/index.js';
import { DNS_RECORD_TYPE, type DnsRecordSpec } from '../../src/resources/dns-record.js';
import {
  EXAMPLE_ZONE,
  exampleModel,
  FAST_RETRY,
  type GceWorld,
  inputOf,
  startWorld,
} from './fixtures.js';

// Cloud DNS calls whose connection dies, or whose answer is not JSON, now that the client sends
// each request once (dns-sent-once.test.ts): the engine must see them as failures to try again,
// and a record list must never read an unparsable answer as a zone without records.

const CHANGES = new RegExp(`/managedZones/${EXAMPLE_ZONE.name}/changes$`);
const RRSETS = new RegExp(`/managedZones/${EXAMPLE_ZONE.name}/rrsets$`);
const RECORD: Resource<DnsRecordSpec> = {
  type: DNS_RECORD_TYPE,
  name: 'etcd-7.k8s.example.com.',
  spec: { zone: EXAMPLE_ZONE.name, ttl: 60, rrdatas: ['10.0.0.7'], address: '' },
};

/** The GCE provider whose desired graph is the one record. */
function recordOnly(provider: GceProvider): GceProvider {
  return { ...provider, desired: () => [RECORD] };
}

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
      const provider = recordOnly(world.provider());
      const planned = await plan(inputOf(exampleModel()), provider, {
        owner: world.owner,
        retry: FAST_RETRY,
      });
      world.emulator.setFaults({ rules: [{ method: 'POST', pathPattern: CHANGES, error: fault }] });
      const retries: string[] = [];
      await apply(planned, {
        retry: FAST_RETRY,
        onEvent: (event) => {
          if (event.type === 'resource.retry') retries.push(event.reason ?? '');
        },
      });
      expect(retries[0]).toBe('unavailable');
      const records = world.emulator
        .resources(/^dns\/projects\/my-project\/managedZones\/example-com\/rrsets\//)
        .filter(({ resource }) => resource.name === RECORD.name)
        .map(({ resource }) => resource.type);
      expect(records.sort()).toEqual(['A', 'TXT']);
    },
  );

  it.each<FaultKind>(['malformedResponse', 'truncatedResponse'])(
    'a record list answered with %s fails to be tried again, not as an empty zone',
    async (fault) => {
      const provider = world.provider();
      const type = provider.types.find((candidate) => candidate.type === DNS_RECORD_TYPE);
      if (type === undefined) throw new Error('no DNS record type');
      world.emulator.setFaults({ rules: [{ method: 'GET', pathPattern: RRSETS, error: fault }] });
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
