import {
  destroy,
  type EngineEvent,
  isProviderError,
  type OperationContext,
  type Resource,
  type ResourceType,
} from '@hakoc/core';
import { afterEach, describe, expect, it } from 'vitest';
import { gce } from '../../src/index.js';
import { computeClients, done } from '../emulator/clients.js';
import { exampleModel, FAST_RETRY, type GceWorld, startWorld } from './fixtures.js';

const PROJECT = 'my-project';
const NETWORK: Resource = {
  type: 'gce.network',
  name: 'demo-network',
  spec: { autoCreateSubnetworks: false, routingMode: 'REGIONAL' },
};

function networkType(types: readonly ResourceType[]): ResourceType {
  const type = types.find((t) => t.type === 'gce.network');
  if (type === undefined) throw new Error('no gce.network type');
  return type;
}

function contextOf(world: GceWorld, requestId: string, signal = new AbortController().signal) {
  const ctx: OperationContext = {
    owner: world.owner,
    signal,
    requestId,
    attempt: 1,
    progress: () => undefined,
  };
  return ctx;
}

const ID_A = '0f8e1c2a-6b4d-8e2f-9a1b-3c5d7e9f1a2b';
const ID_B = '1a2b3c4d-5e6f-8a7b-8c9d-0e1f2a3b4c5d';
const ID_C = '2b3c4d5e-6f7a-8b8c-9d0e-1f2a3b4c5d6e';

describe('operations, conflicts and retries through the real clients', () => {
  let world: GceWorld;
  afterEach(async () => {
    await world.close();
  });

  it("surfaces a failed operation's own error, as retryable and known to have changed nothing", async () => {
    world = await startWorld();
    world.emulator.setFaults({
      rules: [{ method: 'POST', pathPattern: /\/global\/networks$/, error: 'operationError' }],
    });
    const type = networkType(world.provider().types);
    const failure = await type.create(contextOf(world, ID_A), NETWORK).catch((e: unknown) => e);
    expect(isProviderError(failure)).toBe(true);
    if (!isProviderError(failure)) return;
    expect(failure.message).toMatch(/operation insert failed: INTERNAL_ERROR: /);
    expect(failure.reason).toBe('unavailable');
    expect(failure.retryable).toBe(true);
    expect(failure.noEffect).toBe(true);
    expect(world.emulator.get(`projects/${PROJECT}/global/networks/demo-network`)).toBeUndefined();
  });

  it('stops waiting at the operation timeout, however long GCE would keep the wait open', async () => {
    // At real-time latency a network insert takes 12 s and one wait call up to 2 minutes.
    world = await startWorld({ latencyScale: 1 });
    const provider = gce({
      model: exampleModel(),
      endpoint: world.emulator.url,
      requestsPerSecond: 0,
      operationTimeoutMs: 300,
    });
    try {
      const started = Date.now();
      const failure = await networkType(provider.types)
        .create(contextOf(world, ID_A), NETWORK)
        .catch((e: unknown) => e);
      expect(isProviderError(failure) && failure.reason).toBe('timeout');
      expect(isProviderError(failure) && failure.message).toMatch(/did not finish within 300 ms/);
      // It gave up long before the operation (12 s) would have finished.
      expect(Date.now() - started).toBeLessThan(6_000);
    } finally {
      await provider.close();
    }
  });

  it('gives up a long wait as soon as the caller aborts', async () => {
    world = await startWorld({ latencyScale: 1 });
    const type = networkType(world.provider().types);
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('stop')), 200);
    const started = Date.now();
    const failure = await type
      .create(contextOf(world, ID_A, controller.signal), NETWORK)
      .catch((e: unknown) => e);
    expect(failure).toEqual(new Error('stop'));
    expect(Date.now() - started).toBeLessThan(6_000);
  });

  it('adopts its own object on "already exists" and refuses one that is not its own', async () => {
    world = await startWorld();
    const type = networkType(world.provider().types);
    const first = await type.create(contextOf(world, ID_A), NETWORK);
    // A second insert under another request id: GCE answers 409, the object is ours.
    const again = await type.create(contextOf(world, ID_B), NETWORK);
    expect(again.id).toBe(first.id);

    const clients = computeClients(world.emulator);
    await done(
      clients,
      clients.networks.insert({
        project: PROJECT,
        networkResource: { name: 'demo-lookalike', autoCreateSubnetworks: false },
      }),
    );
    await clients.close();
    const refused = await type
      .create(contextOf(world, ID_C), { ...NETWORK, name: 'demo-lookalike' })
      .catch((e: unknown) => e);
    expect(isProviderError(refused) && refused.reason).toBe('conflict');
    expect(isProviderError(refused) && refused.message).toMatch(/not cluster demo's/);
  });

  it('retries a delete GCE refuses as in use, until it goes through', async () => {
    world = await startWorld();
    const provider = world.provider();
    await networkType(provider.types).create(contextOf(world, ID_A), NETWORK);
    world.emulator.setFaults({
      rules: [
        {
          method: 'DELETE',
          pathPattern: /\/global\/networks\/demo-network$/,
          error: { status: 400, reason: 'resourceInUseByAnotherResource' },
          times: 2,
        },
      ],
    });
    const retries: string[] = [];
    const onEvent = (event: EngineEvent) => {
      if (event.type === 'resource.retry') retries.push(`${event.step.id} ${event.reason}`);
    };
    await destroy(world.owner, provider, { retry: FAST_RETRY, onEvent });
    expect(retries).toEqual([
      expect.stringMatching(/^gce\.network\/demo-network@\S+ in-use$/),
      expect.stringMatching(/^gce\.network\/demo-network@\S+ in-use$/),
    ]);
    expect(world.emulator.get(`projects/${PROJECT}/global/networks/demo-network`)).toBeUndefined();
  });
});
