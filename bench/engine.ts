/**
 * Engine benchmark: how close `apply` gets to the critical path of a resource graph.
 *
 * The graph is shaped like the HA cluster on GCE (network, subnet, firewalls, three etcd
 * members, two templates, two groups, address, forwarding rule) over the public mock provider,
 * with a per-type latency table in the same proportions as the GCE emulator's, scaled down 100×.
 * Each configuration runs several times; the table reports the median ratio of apply wall
 * time to the critical-path sum of the creates (no schedule can beat 1.00) and to their serial
 * sum. Apply's own reads (the lock, the re-list that proves the plan is not stale) count
 * against it.
 *
 * Run after building the packages:  node bench/engine.ts
 * Paste the table into docs/benchmarks.md (## Engine).
 */
import { cpus, loadavg } from 'node:os';
import { apply, createOwner, plan, type Resource, resourceId } from '@hakoc/core';
import { createMockProvider, type MockSpec, type MockTypeOptions } from '@hakoc/core/testing';

const owner = createOwner('bench');
const runs = 7;

// Milliseconds: GCE-like operation times divided by 100 (see the emulator's latency table).
const latencyMs: Readonly<Record<string, number>> = {
  'mock.network': 120,
  'mock.subnet': 100,
  'mock.firewall': 60,
  'mock.instance': 150,
  'mock.template': 20,
  'mock.group': 30,
  'mock.address': 25,
  'mock.forwarding': 150,
};
const latencyOf = (type: string) => latencyMs[type] ?? 0;
const readLatencyMs = 3;

const types: readonly MockTypeOptions[] = Object.keys(latencyMs).map((type) => ({ type }));

function graph(): Resource<MockSpec>[] {
  const res = (type: string, name: string, dependsOn: Resource<MockSpec>[] = []) => ({
    type: `mock.${type}`,
    name,
    spec: { name },
    dependsOn,
  });
  const network = res('network', 'net');
  const subnet = res('subnet', 'nodes', [network]);
  const firewalls = ['internal', 'api', 'ssh', 'health', 'etcd'].map((n) =>
    res('firewall', n, [network]),
  );
  const etcd = [0, 1, 2].map((i) => res('instance', `etcd-${i}`, [subnet, ...firewalls]));
  const cpTemplate = res('template', 'cp', [subnet]);
  const workerTemplate = res('template', 'worker', [subnet]);
  const cpGroup = res('group', 'cp', [cpTemplate, ...etcd]);
  const workerGroup = res('group', 'workers', [workerTemplate, cpGroup]);
  const address = res('address', 'api');
  const forwarding = res('forwarding', 'api', [address, cpGroup]);
  return [
    network,
    subnet,
    ...firewalls,
    ...etcd,
    cpTemplate,
    workerTemplate,
    cpGroup,
    workerGroup,
    address,
    forwarding,
  ];
}

function criticalPath(resources: readonly Resource[]): number {
  const finish = new Map<string, number>();
  for (const resource of resources) {
    const ready = Math.max(
      0,
      ...(resource.dependsOn ?? []).map((d) => finish.get(resourceId(d)) ?? 0),
    );
    finish.set(resourceId(resource), ready + latencyOf(resource.type));
  }
  return Math.max(...finish.values());
}

async function timedApply(concurrency: number): Promise<number> {
  const provider = createMockProvider({
    types,
    // Creates take the table's time; reads and lock calls a GCE-like few hundred ms, scaled.
    latencyMs: (call) => (call.operation === 'create' ? latencyOf(call.type) : readLatencyMs),
  });
  const planned = await plan({ resources: graph() }, provider, { owner });
  const started = performance.now();
  await apply(planned, { concurrency });
  return performance.now() - started;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

const resources = graph();
const critical = criticalPath(resources);
const serial = resources.reduce((sum, r) => sum + latencyOf(r.type), 0);
const rows: string[] = [];
for (const concurrency of [16, 4, 1]) {
  const walls: number[] = [];
  for (let run = 0; run < runs; run += 1) walls.push(await timedApply(concurrency));
  const wall = median(walls);
  rows.push(
    `| concurrency ${concurrency} | ${runs} | ${wall.toFixed(0)} | ${(wall / critical).toFixed(3)} | ${(wall / serial).toFixed(3)} |`,
  );
}

console.log(
  `Machine: ${cpus().length} CPUs (${cpus()[0]?.model ?? 'unknown'}), Node ${process.version}, load average ${loadavg()[0]?.toFixed(2)}`,
);
console.log(
  `Graph: ${resources.length} resources, critical path ${critical} ms, serial sum ${serial} ms\n`,
);
console.log('| apply | runs | median wall ms | ÷ critical path | ÷ serial sum |');
console.log('|---|---:|---:|---:|---:|');
for (const row of rows) console.log(row);
