import { providerContractTests } from '@hakoc/core/testing/contract';
import { afterAll } from 'vitest';
import type { GceInput } from '../../src/index.js';
import { computeClients, done } from '../emulator/clients.js';
import { exampleModel, FAST_RETRY, type GceWorld, inputOf, startWorld } from './fixtures.js';

// Inserts of the cluster's compute collections (not operation waits; the lock is in Cloud DNS).
const INSERTS =
  /^\/compute\/v1\/projects\/[^/]+\/(global\/(networks|firewalls|instanceTemplates)|regions\/[^/]+\/[a-zA-Z]+)$/;

// One emulator for the suite, emptied before each case: its clients are made once.
let shared: Promise<GceWorld> | undefined;
afterAll(async () => {
  await (await shared)?.close();
});

providerContractTests<GceInput>({
  name: 'gce (real clients, emulator)',
  declaresReferences: true,
  async setup() {
    shared ??= startWorld();
    const world = await shared;
    await world.reset();
    const model = exampleModel();
    const provider = world.provider(model);
    return {
      provider,
      owner: world.owner,
      initial: inputOf(model),
      inPlaceChange: inputOf(
        exampleModel((m) => {
          if (m.machineSets.workers.autoscaling) m.machineSets.workers.autoscaling.max = 12;
        }),
      ),
      expectedUpdates: ['gce.autoscaler/demo-worker'],
      replacingChange: inputOf(
        exampleModel((m) => {
          const member = m.machineSets.etcd.machines[0];
          if (member) member.zone = 'europe-west1-c';
        }),
      ),
      // The member's data disk is zonal: a new zone is a new disk, and the member that refers
      // to it goes down before it and comes back after it.
      expectedReplaces: ['gce.disk/demo-etcd-0-data'],
      referencedReplace: {
        // The zones of a regional group are fixed: fewer zones is a new group, and its
        // autoscaler, which names it, must go first and come back after.
        input: inputOf(
          exampleModel((m) => {
            m.machineSets.workers.zones = m.machineSets.workers.zones.slice(0, 2);
          }),
        ),
        replaced: 'gce.instanceGroup/demo-worker',
      },
      reduced: inputOf(
        exampleModel((m) => {
          m.machineSets.etcd.count = 1;
          m.machineSets.etcd.machines = m.machineSets.etcd.machines.slice(0, 1);
          m.endpoints.etcd.members = m.endpoints.etcd.members.slice(0, 1);
        }),
      ),
      async createUnowned() {
        // A network and a firewall named like ours, made by hand: no ownership marker.
        const clients = computeClients(world.emulator);
        const project = model.provider.name === 'gce' ? model.provider.project : '';
        await done(
          clients,
          clients.networks.insert({
            project,
            networkResource: { name: 'demo-lookalike', autoCreateSubnetworks: false },
          }),
        );
        await done(
          clients,
          clients.firewalls.insert({
            project,
            firewallResource: {
              name: 'demo-ssh',
              network: `projects/${project}/global/networks/demo-lookalike`,
              allowed: [{ IPProtocol: 'tcp', ports: ['22'] }],
              sourceRanges: ['0.0.0.0/0'],
            },
          }),
        );
        await clients.close();
        return async () =>
          world.emulator.get(`projects/${project}/global/networks/demo-lookalike`) !== undefined &&
          world.emulator.get(`projects/${project}/global/firewalls/demo-ssh`) !== undefined;
      },
      failNext(count, retryable) {
        world.emulator.setFaults({
          rules: [
            {
              method: 'POST',
              pathPattern: INSERTS,
              error: retryable ? 'rateLimitExceeded' : { status: 400, reason: 'invalid' },
              times: count,
            },
          ],
        });
      },
      options: { retry: FAST_RETRY, concurrency: 16 },
    };
  },
});
