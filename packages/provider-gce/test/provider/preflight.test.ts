import { apply, type ClusterModel, createOwner, isProviderError, plan } from '@hakoc/core';
import { afterEach, describe, expect, it } from 'vitest';
import { machineType } from '../../src/emulator/catalog.js';
import { gce } from '../../src/index.js';
import {
  EXAMPLE_ZONE,
  exampleModel,
  FAST_RETRY,
  type GceWorld,
  inputOf,
  startWorld,
} from './fixtures.js';

const RUN = { retry: FAST_RETRY, concurrency: 16 };

/**
 * The CPUs a model's machines take at its base size (or with `workers` workers), from the
 * emulator's machine catalogue.
 */
function cpusOf(model: ClusterModel, workers = model.machineSets.workers.count): number {
  return Object.values(model.machineSets).reduce(
    (n, set) =>
      n +
      (set === model.machineSets.workers ? workers : set.count) *
        (machineType(set.machineType)?.guestCpus ?? Number.NaN),
    0,
  );
}

/** The problems a refused plan lists, one per line. */
async function problemsOf(world: GceWorld, model: ClusterModel): Promise<string[]> {
  const failure = await plan(inputOf(model), world.provider(model), {
    owner: world.owner,
    ...RUN,
  }).then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(isProviderError(failure), String(failure)).toBe(true);
  if (!isProviderError(failure)) return [];
  expect(failure.operation).toBe('preflight');
  expect(failure.retryable).toBe(false);
  const [head = '', ...lines] = failure.message.split('\n');
  const problems = lines.map((line) => line.replace(/^\s+- /, ''));
  expect(head).toContain(`found ${problems.length} problem(s)`);
  return problems;
}

function mutations(world: GceWorld): string[] {
  return world.emulator.log
    .filter((e) => e.method !== 'GET' && !/\/operations\//.test(e.path))
    .map((e) => `${e.method} ${e.path}`);
}

describe('preflight', () => {
  let world: GceWorld;
  afterEach(async () => {
    await world.close();
  });

  it('reports every problem at once, and changes nothing', async () => {
    world = await startWorld({
      dnsZones: [],
      quotas: { region: { CPUS: 8 }, project: { FIREWALLS: 3 } },
    });
    const model = exampleModel((m) => {
      if (m.provider.name !== 'gce') return;
      m.provider.zones = [...m.provider.zones, 'us-east1-b'];
      m.machineSets.workers.zones = [...m.machineSets.workers.zones, 'us-east1-b'];
      m.machineSets.controlPlane.machineType = 'n9-imaginary-64';
    });
    const problems = await problemsOf(world, model);
    expect(problems).toEqual(
      expect.arrayContaining([
        'Zone us-east1-b is not a zone of region europe-west1.',
        'Cloud DNS managed zone example-com does not exist in project my-project.',
        ...model.machineSets.controlPlane.zones.map(
          (zone) => `Machine type n9-imaginary-64 (demo-controller) does not exist in ${zone}.`,
        ),
        expect.stringMatching(/^Quota CPUS in europe-west1: the cluster needs \d+, 8 available/),
        // A new project's 8 in-use addresses do not hold 8 machines and the load balancer.
        'Quota IN_USE_ADDRESSES in europe-west1: the cluster needs 9, 8 available (limit 8).',
        expect.stringMatching(/^Quota FIREWALLS in project my-project: the cluster needs 6, 3 /),
      ]),
    );
    expect(problems).toHaveLength(8);
    expect(mutations(world)).toEqual([]);
  });

  it('refuses a DNS zone that does not cover the cluster domain', async () => {
    world = await startWorld({ dnsZones: [{ ...EXAMPLE_ZONE, dnsName: 'example.org.' }] });
    expect(await problemsOf(world, exampleModel())).toEqual([
      'Cloud DNS zone example-com holds example.org, which does not cover the cluster domain k8s.example.com.',
    ]);
  });

  it("warns, without refusing, of quotas that hold the cluster but not its autoscaler's maximum", async () => {
    const model = exampleModel();
    const { count, autoscaling } = model.machineSets.workers;
    const max = autoscaling?.max ?? count;
    expect(max).toBeGreaterThan(count);
    const machines = Object.values(model.machineSets).reduce((n, set) => n + set.count, 0);
    // Room for the base cluster and a few more, not for every worker the autoscaler may add.
    const cpus = cpusOf(model) + 8;
    const addresses = machines + 1 + 2;
    world = await startWorld({
      quotas: { region: { CPUS: cpus, IN_USE_ADDRESSES: addresses, SSD_TOTAL_GB: 10_000 } },
    });
    const provider = world.provider(model);
    const expected = (available: { cpus: number; addresses: number }) => [
      `Quota CPUS in europe-west1 holds the cluster with ${count} workers but not the autoscaler's maximum of ${max}: that needs ${cpusOf(model, max)}, ${available.cpus} available (limit ${cpus}). The autoscaler stops adding workers there; request an increase or lower spec.workers.max.`,
      `Quota IN_USE_ADDRESSES in europe-west1 holds the cluster with ${count} workers but not the autoscaler's maximum of ${max}: that needs ${machines - count + max + 1}, ${available.addresses} available (limit ${addresses}). The autoscaler stops adding workers there; request an increase or lower spec.workers.max.`,
    ];
    const planned = await plan(inputOf(model), provider, { owner: world.owner, ...RUN });
    expect(planned.summary.create).toBeGreaterThan(0);
    expect(planned.warnings).toEqual(expected({ cpus, addresses }));
    await apply(planned, RUN);
    world.emulator.settle();

    // The running cluster's own machines count as available to it: the same warning again.
    const again = await plan(inputOf(model), provider, { owner: world.owner, ...RUN });
    expect(again.summary.changes).toBe(0);
    expect(again.warnings).toEqual(expected({ cpus, addresses }));

    // With the maximum lowered to what fits, nothing to warn of, and no warnings key at all.
    const fitting = exampleModel((m) => {
      const bounds = m.machineSets.workers.autoscaling;
      if (bounds !== undefined) bounds.max = count + 2;
    });
    const fits = await plan(inputOf(fitting), world.provider(fitting), {
      owner: world.owner,
      ...RUN,
    });
    expect(fits.warnings).toBeUndefined();
  });

  it("counts the cluster's own usage as available: a cluster that just fits plans again, a second one does not", async () => {
    const model = exampleModel();
    const need = cpusOf(model);
    expect(need).toBeGreaterThan(0);
    world = await startWorld({ quotas: { region: { CPUS: need, IN_USE_ADDRESSES: 500 } } });
    const provider = world.provider(model);
    await apply(await plan(inputOf(model), provider, { owner: world.owner, ...RUN }), RUN);
    world.emulator.settle();
    const again = await plan(inputOf(model), provider, { owner: world.owner, ...RUN });
    expect(again.summary.changes).toBe(0);

    const other = exampleModel((m) => {
      m.name = 'other';
    });
    const otherProvider = gce({ model: other, endpoint: world.emulator.url, requestsPerSecond: 0 });
    try {
      const failure = await plan(inputOf(other), otherProvider, {
        owner: createOwner('other'),
        ...RUN,
      }).catch((error: unknown) => error);
      expect(isProviderError(failure) && failure.message).toContain(
        `Quota CPUS in europe-west1: the cluster needs ${need}, 0 available (limit ${need}).`,
      );
    } finally {
      await otherProvider.close();
    }
  });
});
