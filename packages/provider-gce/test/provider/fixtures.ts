import { fileURLToPath } from 'node:url';
import {
  buildClusterModel,
  type ClusterModel,
  composeBootConfig,
  createOwner,
  type Owner,
  type RetryPolicy,
  readClusterSpecFile,
  renderIgnition,
} from '@hakoc/core';
import { borrowClients } from '../../src/client-pool.js';
import {
  type GceEmulator,
  type GceEmulatorOptions,
  startGceEmulator,
} from '../../src/emulator/index.js';
import type { GceBootConfigs, GceInput, GceProvider, GceProviderOptions } from '../../src/index.js';
import { gce } from '../../src/index.js';
import { type EtcdGuests, playEtcdGuests } from './etcd-guests.js';

/** Path of the example HA spec of the repository. */
export const EXAMPLE_SPEC_PATH = fileURLToPath(
  new URL('../../../../examples/gce.yaml', import.meta.url),
);

const example = await readClusterSpecFile(EXAMPLE_SPEC_PATH);
if (!example.ok)
  throw new Error(`examples/gce.yaml is invalid: ${JSON.stringify(example.diagnostics)}`);
const exampleBase = buildClusterModel(example.spec);

/** The example cluster's model with changes applied to a copy. */
export function exampleModel(change: (model: ClusterModel) => void = () => {}): ClusterModel {
  const model = structuredClone(exampleBase);
  change(model);
  return model;
}

/** Small, real Ignition configs per role (member name and role as files). */
export function bootConfigsFor(model: ClusterModel): GceBootConfigs {
  const config = (role: string, member?: string) =>
    renderIgnition(
      composeBootConfig([
        {
          module: 'test',
          part: {
            files: [
              { path: '/etc/hakoc/role', contents: `${role}\n`, mode: 0o644 },
              ...(member === undefined
                ? []
                : [
                    {
                      path: '/etc/hakoc/member',
                      contents: `${member}\n`,
                      mode: 0o600,
                      secret: true,
                    },
                  ]),
            ],
          },
        },
      ]),
    );
  return {
    etcd: Object.fromEntries(
      model.machineSets.etcd.machines.map((m) => [m.name, config('etcd', m.name)]),
    ),
    controlPlane: config('controller'),
    workers: config('worker'),
  };
}

/** The provider input for a model. */
export function inputOf(model: ClusterModel): GceInput {
  return { model, bootConfigs: bootConfigsFor(model) };
}

/** Quick retries: the emulator's latencies are milliseconds. */
export const FAST_RETRY: RetryPolicy = {
  retries: 12,
  minDelayMs: 5,
  maxDelayMs: 100,
  maxRetryTimeMs: 30_000,
};

/** The DNS zone of the example spec, as the user already has it. */
export const EXAMPLE_ZONE = { name: 'example-com', dnsName: 'example.com.' };

/** Emulator options for cluster-sized tests: fast, with room in the quotas. */
export function emulatorOptions(extra: GceEmulatorOptions = {}): GceEmulatorOptions {
  return {
    latencyScale: 0.001,
    dnsZones: [EXAMPLE_ZONE],
    quotas: { region: { CPUS: 500, INSTANCES: 500, IN_USE_ADDRESSES: 500 } },
    ...extra,
  };
}

/** An emulator, a model and a provider on it. */
export interface GceWorld {
  readonly emulator: GceEmulator;
  readonly owner: Owner;
  /** The software of the etcd VMs: leaves when asked unless a test says otherwise. */
  readonly etcdGuests: EtcdGuests;
  provider(model?: ClusterModel, options?: Partial<GceProviderOptions>): GceProvider;
  /**
   * Closes the providers made so far and empties the emulator (see `GceEmulator.reset`): the
   * next test starts from a new GCE, with the clients already made.
   */
  reset(seed?: number): Promise<void>;
  close(): Promise<void>;
}

/** Starts an emulator and makes providers for it; `close` closes both. */
export async function startWorld(extra: GceEmulatorOptions = {}): Promise<GceWorld> {
  const emulator = await startGceEmulator(emulatorOptions(extra));
  const providers: GceProvider[] = [];
  // The world's providers share one set of clients, as providers of one long-lived process do;
  // a provider closed and made again (a crash and a restart) then constructs none anew.
  const clients = borrowClients({ endpoint: emulator.url });
  const etcdGuests = playEtcdGuests(emulator);
  return {
    emulator,
    owner: createOwner('demo'),
    etcdGuests,
    provider(model = exampleModel(), options = {}) {
      const provider = gce({
        model,
        endpoint: emulator.url,
        requestsPerSecond: 0,
        operationTimeoutMs: 20_000,
        etcdLeave: { pollMs: 20 },
        ...options,
      });
      providers.push(provider);
      return provider;
    },
    async reset(seed) {
      await Promise.all(providers.splice(0).map((p) => p.close()));
      emulator.reset(seed);
      etcdGuests.behaviour = 'leave';
      etcdGuests.asked.splice(0);
    },
    async close() {
      await Promise.all(providers.splice(0).map((p) => p.close()));
      await clients.release();
      await emulator.close();
    },
  };
}
