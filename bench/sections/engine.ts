import { apply, createOwner, plan, type Resource, resourceId } from '@hakoc/core';
import { createMockProvider, type MockSpec, type MockTypeOptions } from '@hakoc/core/testing';
import { criticalPath } from '../lib/critical-path.ts';
import { loadAverage } from '../lib/machine.ts';
import { table } from '../lib/markdown.ts';
import type { BenchSection, SectionResult } from '../lib/section.ts';
import { median, ratio, repeat, wholeMs } from '../lib/stats.ts';

const owner = createOwner('bench');

/** Create latencies: the emulator's table for the same kinds of object, scaled by 0.01. */
const LATENCY_MS: Readonly<Record<string, number>> = {
  'mock.network': 120,
  'mock.subnet': 100,
  'mock.firewall': 60,
  'mock.instance': 150,
  'mock.template': 20,
  'mock.group': 30,
  'mock.address': 25,
  'mock.forwarding': 150,
};
/** Every read and lock call. */
const READ_LATENCY_MS = 3;
const latencyOf = (type: string): number => LATENCY_MS[type] ?? 0;
const TYPES: readonly MockTypeOptions[] = Object.keys(LATENCY_MS).map((type) => ({ type }));

/** A graph shaped like the GCE HA cluster's, over the mock provider's types. */
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

async function timedApply(concurrency: number): Promise<number> {
  const provider = createMockProvider({
    types: TYPES,
    latencyMs: (call) => (call.operation === 'create' ? latencyOf(call.type) : READ_LATENCY_MS),
  });
  const planned = await plan({ resources: graph() }, provider, { owner });
  const started = performance.now();
  await apply(planned, { concurrency });
  return performance.now() - started;
}

/** The engine alone: `apply` over the public mock provider against its graph's critical path. */
export const engineSection: BenchSection = {
  id: 'engine',
  async run(ctx): Promise<SectionResult> {
    const loadBefore = loadAverage();
    const resources = graph();
    const path = criticalPath(
      resources.map((r) => ({
        id: resourceId(r),
        dependsOn: (r.dependsOn ?? []).map(resourceId),
        weightMs: latencyOf(r.type),
      })),
    );
    const serial = resources.reduce((sum, r) => sum + latencyOf(r.type), 0);
    const runs = ctx.quick ? 1 : 7;
    const rows: string[][] = [];
    for (const concurrency of [16, 8, 4, 1]) {
      ctx.log(`engine: concurrency ${concurrency} (${runs} runs)`);
      const wall = median(await repeat(runs, () => timedApply(concurrency)));
      rows.push([
        `concurrency ${concurrency}`,
        String(runs),
        wholeMs(wall),
        ratio(wall / path.lengthMs),
        ratio(wall / serial),
      ]);
    }
    const markdown = [
      '## Engine alone (mock provider)',
      '',
      `\`bench/sections/engine.ts\`: \`apply\` of a ${resources.length}-resource graph shaped like the GCE HA cluster (network, subnet, five firewalls, three etcd members, two templates, two groups, address, forwarding rule) over the public mock provider of \`@hakoc/core/testing\`, with no HTTP and no Google client. Creates take the emulator's latencies for the same kinds of object × 0.01 (network ${LATENCY_MS['mock.network']} ms, subnet ${LATENCY_MS['mock.subnet']}, firewall ${LATENCY_MS['mock.firewall']}, instance ${LATENCY_MS['mock.instance']}, template ${LATENCY_MS['mock.template']}, group ${LATENCY_MS['mock.group']}, address ${LATENCY_MS['mock.address']}, forwarding rule ${LATENCY_MS['mock.forwarding']}); every read and lock call takes ${READ_LATENCY_MS} ms and counts against the engine. Critical path ${path.lengthMs} ms, serial sum ${serial} ms.`,
      '',
      `Load average before: ${loadBefore}; after: ${loadAverage()}.`,
      '',
      table(['apply', 'runs', 'median wall ms', '÷ critical path', '÷ serial sum'], rows),
      '',
      'What separates these rows from the critical path is the engine itself: the lock, the re-list that proves the plan is not stale, and scheduling. The GCE rows above add HTTP, the Google clients and the provider.',
    ].join('\n');
    return { markdown, targets: [] };
  },
};
