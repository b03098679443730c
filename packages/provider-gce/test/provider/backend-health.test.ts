import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { apply, plan } from '@hakoc/core';
import { afterAll, describe, expect, it } from 'vitest';
import { exampleModel, FAST_RETRY, inputOf, startWorld } from './fixtures.js';

// `backendHealth` through the real compute client's `regionBackendServices.getHealth`, on the
// example cluster in an emulator world kept in a file, so a machine can be stopped between runs.
// The emulator counts a member healthy while its instance runs.

const dir = mkdtempSync(join(tmpdir(), 'hakoc-backend-health-'));
const statePath = join(dir, 'world.json');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const signal = () => AbortSignal.timeout(30_000);
const model = exampleModel();
const zones = [...model.machineSets.controlPlane.zones].sort();

describe('the API load balancer’s backend health', () => {
  it('is empty before the load balancer exists, then every controller healthy in its zone', async () => {
    const world = await startWorld({ statePath });
    try {
      const provider = world.provider(model);
      expect(await provider.backendHealth(signal())).toEqual([]);
      const planned = await plan(inputOf(model), provider, {
        owner: world.owner,
        retry: FAST_RETRY,
      });
      await apply(planned, { retry: FAST_RETRY, concurrency: 16 });
      const health = await provider.backendHealth(signal());
      expect(health).toEqual([
        {
          backendService: 'demo-api',
          group: model.machineSets.controlPlane.name,
          zones: zones.map((zone) => ({ zone, healthy: 1, total: 1 })),
        },
      ]);
      const calls = world.emulator.log.filter((e) =>
        /\/backendServices\/demo-api\/getHealth$/.test(e.path),
      );
      // Before the service exists there is nothing to ask; after, one question per group.
      expect(calls).toHaveLength(1);
    } finally {
      await world.close();
    }
  });

  it('counts a controller that is not running as unhealthy in its zone only', async () => {
    const saved = JSON.parse(readFileSync(statePath, 'utf8')) as {
      resources: Record<string, { status?: string }>;
    };
    const stopped = Object.keys(saved.resources)
      .filter((path) => /\/zones\/[^/]+\/instances\/demo-controller-[^/]+$/.test(path))
      .sort()[0];
    if (stopped === undefined) throw new Error('no controller instance in the saved world');
    const stoppedZone = /\/zones\/([^/]+)\//.exec(stopped)?.[1];
    saved.resources[stopped] = { ...saved.resources[stopped], status: 'TERMINATED' };
    writeFileSync(statePath, JSON.stringify(saved));

    const world = await startWorld({ statePath });
    try {
      const [backend] = await world.provider(model).backendHealth(signal());
      expect(backend?.zones).toEqual(
        zones.map((zone) => ({ zone, healthy: zone === stoppedZone ? 0 : 1, total: 1 })),
      );
    } finally {
      await world.close();
    }
  });
});
