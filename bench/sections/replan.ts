import { apply, plan } from '@hakoc/core';
import type { CallLogEntry } from '@hakoc/provider-gce/emulator';
import { type ClusterSize, exampleSpec, sizedModel, sizeLabel } from '../lib/example-cluster.ts';
import { gceCluster } from '../lib/gce-cluster.ts';
import { withGceWorld } from '../lib/gce-run.ts';
import { loadAverage } from '../lib/machine.ts';
import { table, verdict } from '../lib/markdown.ts';
import type { BenchSection, SectionResult } from '../lib/section.ts';
import { median, ms, repeat } from '../lib/stats.ts';

/** Fast operations: the apply before the measured plans only has to finish. */
const LATENCY_SCALE = 0.001;
/** The spec's limit on etcd members. */
const MAX_ETCD_MEMBERS = 9;

interface Point {
  readonly size: ClusterSize;
  readonly machines: number;
  readonly resources: number;
  readonly calls: number;
  readonly gets: number;
  readonly byEndpoint: ReadonlyMap<string, number>;
  readonly planMs: readonly number[];
}

/**
 * The endpoint a call hit, names replaced: `GET regions/{name}/instanceGroupManagers`,
 * `POST regions/{name}/instanceGroupManagers/{name}/listPerInstanceConfigs`.
 */
function endpointOf(call: CallLogEntry): string {
  const [, afterProject = call.path] = call.path.split(/\/projects\/[^/]+\//);
  const parts = afterProject.split('/');
  // The scope first (`global`, `aggregated`, `regions/{name}`, `zones/{name}`), then
  // collection and name in turn.
  const scope: string[] = [];
  if (parts[0] === 'global' || parts[0] === 'aggregated') scope.push(parts.shift() ?? '');
  else if (parts[0] === 'regions' || parts[0] === 'zones') {
    scope.push(parts.shift() ?? '', '{name}');
    parts.shift();
  }
  const rest = parts.map((segment, i) => (i % 2 === 1 ? '{name}' : segment));
  return `${call.method} ${call.api === 'dns' ? 'dns ' : ''}${[...scope, ...rest].join('/')}`;
}

/** The API calls and time of a plan that finds nothing to change, by cluster size. */
export const replanSection: BenchSection = {
  id: 'replan',
  async run(ctx): Promise<SectionResult> {
    const loadBefore = loadAverage();
    const spec = await exampleSpec('gce');
    const sizes: ClusterSize[] = ctx.quick
      ? [
          { etcd: 3, controllers: 3, workers: 10 },
          { etcd: 5, controllers: 7, workers: 1000 },
        ]
      : [
          { etcd: 1, controllers: 1, workers: 1 },
          { etcd: 3, controllers: 3, workers: 10 },
          { etcd: 3, controllers: 3, workers: 1000 },
          { etcd: 3, controllers: 7, workers: 10 },
          { etcd: 5, controllers: 7, workers: 10 },
          { etcd: 5, controllers: 7, workers: 1000 },
        ];
    const runs = ctx.quick ? 2 : 7;
    const points: Point[] = [];
    for (const size of sizes) {
      ctx.log(`replan: ${sizeLabel(size)}, apply then ${runs} plans`);
      const cluster = await gceCluster(sizedModel(spec, size));
      points.push(
        await withGceWorld(cluster, LATENCY_SCALE, async ({ emulator, provider }) => {
          const first = await plan(cluster.input, provider, { owner: cluster.owner });
          await apply(first);
          // Let the groups create their machines, so the plan reads a running cluster.
          emulator.settle();
          const sets = cluster.model.machineSets;
          const machines = sets.etcd.count + sets.controlPlane.count + sets.workers.count;
          let calls: CallLogEntry[] = [];
          const planMs = await repeat(runs, async () => {
            emulator.clearLog();
            const started = performance.now();
            const again = await plan(cluster.input, provider, { owner: cluster.owner });
            const elapsed = performance.now() - started;
            if (again.summary.changes !== 0)
              throw new Error(`${sizeLabel(size)}: the plan after apply is not empty`);
            calls = emulator.log.filter((c) => c.api === 'compute' || c.api === 'dns');
            return elapsed;
          });
          const byEndpoint = new Map<string, number>();
          for (const call of calls)
            byEndpoint.set(endpointOf(call), (byEndpoint.get(endpointOf(call)) ?? 0) + 1);
          return {
            size,
            machines,
            resources: first.steps.length,
            calls: calls.length,
            gets: calls.filter((c) => c.method === 'GET').length,
            byEndpoint,
            planMs,
          };
        }),
      );
    }
    const callCounts = points.map((p) => p.calls);
    // Calls may differ with the etcd count (each member is a group of its own), never with the
    // controllers or the workers' maximum.
    const byEtcd = new Map<number, Set<number>>();
    for (const p of points)
      byEtcd.set(p.size.etcd, (byEtcd.get(p.size.etcd) ?? new Set()).add(p.calls));
    const flat = [...byEtcd.values()].every((counts) => counts.size === 1);
    const endpoints = [...new Set(points.flatMap((p) => [...p.byEndpoint.keys()]))].sort();
    const markdown = [
      '## No-op re-plan',
      '',
      "`bench/sections/replan.ts`. The example cluster at several sizes (etcd / controllers / workers' maximum) is applied to a fresh emulator; once its groups have made their machines, `plan` runs again and must find nothing to change. Calls are counted from the emulator's call log (compute and Cloud DNS); the time is the whole `plan()` call against the in-process emulator, so it is this process's own work plus loopback HTTP, with no GCE latency in it.",
      '',
      `Load average before: ${loadBefore}; after: ${loadAverage()}.`,
      '',
      table(
        [
          'etcd / controllers / workers max',
          'machines running',
          'resources',
          'API calls',
          'of them GET',
          `plan median ms (${runs} runs)`,
        ],
        points.map((p) => [
          sizeLabel(p.size),
          String(p.machines),
          String(p.resources),
          String(p.calls),
          String(p.gets),
          ms(median(p.planMs)),
        ]),
      ),
      '',
      'Calls by endpoint:',
      '',
      table(
        ['endpoint', ...points.map((p) => sizeLabel(p.size))],
        endpoints.map((e) => [`\`${e}\``, ...points.map((p) => String(p.byEndpoint.get(e) ?? 0))]),
      ),
      '',
      `Against the target (calls bounded by resource types × scopes, never by the number of machines): ${flat ? "for a given etcd count the calls are the same whatever the controllers and the workers' maximum" : "the calls change with the controllers or the workers' maximum"} — ${verdict(flat)}. Each etcd member is a stateful group of its own, and the plan reads each one's per-instance config (\`listPerInstanceConfigs\`), so the count grows by one per etcd member (at most ${MAX_ETCD_MEMBERS}).`,
    ].join('\n');
    return {
      markdown,
      targets: [
        {
          what: `no-op re-plan API calls at ${points.map((p) => sizeLabel(p.size)).join(', ')}`,
          target: 'not growing with controllers or workers',
          measured: callCounts.join(', '),
          met: flat,
        },
      ],
    };
  },
};
