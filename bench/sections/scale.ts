import { fileURLToPath } from 'node:url';
import { startGceEmulator } from '@hakoc/provider-gce/emulator';
import type { ScalePointResult } from '../children/scale-point.ts';
import { emulatorOptionsFor } from '../lib/emulator-options.ts';
import { type ClusterSize, exampleSpec, sizedModel, sizeLabel } from '../lib/example-cluster.ts';
import { loadAverage } from '../lib/machine.ts';
import { table, verdict } from '../lib/markdown.ts';
import { runNode } from '../lib/node-child.ts';
import type { BenchSection, SectionResult, TargetCheck } from '../lib/section.ts';
import { median, megabytes, ms, repeat } from '../lib/stats.ts';

const CHILD = fileURLToPath(new URL('../children/scale-point.ts', import.meta.url));

/**
 * Largest growth of time and of peak RSS from the smallest to the largest worker maximum still
 * counted as flat: time is a median of a few runs on a machine others use, memory is steadier.
 */
const FLAT_TIME = 1.25;
const FLAT_MEMORY = 1.05;
const SAME_BYTES = 0.001;

interface Measured {
  readonly size: ClusterSize;
  readonly machines: number;
  readonly runs: readonly ScalePointResult[];
}

const med = (point: Measured, pick: (r: ScalePointResult) => number): number =>
  median(point.runs.map(pick));
const workMs = (r: ScalePointResult): number => r.modelMs + r.renderMs + r.graphAgainMs;

async function measure(
  provider: 'gce' | 'vagrant',
  size: ClusterSize,
  runs: number,
  endpoint: string | undefined,
): Promise<Measured> {
  const args = [CHILD, provider, String(size.etcd), String(size.controllers), String(size.workers)];
  if (endpoint !== undefined) args.push(endpoint);
  const results = await repeat(runs, async () => {
    const { value } = await runNode<ScalePointResult>(args, { nodeArgs: ['--expose-gc'] });
    if (value === undefined)
      throw new Error(`scale point ${provider} ${sizeLabel(size)} printed nothing`);
    return value;
  });
  return { size, machines: size.etcd + size.controllers + size.workers, runs: results };
}

function pointTable(points: readonly Measured[], graphTitle: string): string {
  return table(
    [
      'etcd / controllers / workers',
      'machines (at most)',
      'resources',
      'model ms',
      'render ms',
      `${graphTitle}, first ms`,
      `${graphTitle}, again ms`,
      'model + render + again ms',
      'PKI ms (apart)',
      'peak RSS MB',
      'heap after GC MB',
      'rendered files',
      'rendered KB',
    ],
    points.map((p) => [
      sizeLabel(p.size),
      String(p.machines),
      String(p.runs[0]?.resources ?? 0),
      ms(med(p, (r) => r.modelMs)),
      ms(med(p, (r) => r.renderMs)),
      ms(med(p, (r) => r.graphMs)),
      ms(med(p, (r) => r.graphAgainMs)),
      ms(med(p, workMs)),
      ms(med(p, (r) => r.pkiMs)),
      megabytes(med(p, (r) => r.maxRssBytes)),
      megabytes(med(p, (r) => r.heapUsedBytes)),
      String(p.runs[0]?.renderedFiles ?? 0),
      ((p.runs[0]?.renderedBytes ?? 0) / 1e3).toFixed(0),
    ]),
  );
}

/** Plan and render time and memory as clusters grow, one child process per point. */
export const scaleSection: BenchSection = {
  id: 'scale',
  async run(ctx): Promise<SectionResult> {
    const loadBefore = loadAverage();
    const runs = ctx.quick ? 1 : 3;
    const gceSizes: ClusterSize[] = ctx.quick
      ? [
          { etcd: 5, controllers: 7, workers: 10 },
          { etcd: 5, controllers: 7, workers: 1000 },
        ]
      : [
          { etcd: 1, controllers: 1, workers: 1 },
          { etcd: 3, controllers: 3, workers: 10 },
          { etcd: 5, controllers: 7, workers: 10 },
          { etcd: 5, controllers: 7, workers: 100 },
          { etcd: 5, controllers: 7, workers: 1000 },
        ];
    const vagrantSizes: ClusterSize[] = ctx.quick
      ? [
          { etcd: 1, controllers: 1, workers: 1 },
          { etcd: 5, controllers: 7, workers: 100 },
        ]
      : [
          { etcd: 1, controllers: 1, workers: 1 },
          { etcd: 3, controllers: 3, workers: 3 },
          { etcd: 3, controllers: 3, workers: 10 },
          { etcd: 5, controllers: 7, workers: 50 },
          { etcd: 5, controllers: 7, workers: 100 },
        ];
    const spec = await exampleSpec('gce');
    const emulator = await startGceEmulator(
      emulatorOptionsFor(sizedModel(spec, { etcd: 1, controllers: 1, workers: 1 }), 0.001),
    );
    const gcePoints: Measured[] = [];
    try {
      for (const size of gceSizes) {
        ctx.log(`scale: gce ${sizeLabel(size)} (${runs} runs)`);
        gcePoints.push(await measure('gce', size, runs, emulator.url));
      }
    } finally {
      await emulator.close();
    }
    const vagrantPoints: Measured[] = [];
    for (const size of vagrantSizes) {
      ctx.log(`scale: vagrant ${sizeLabel(size)} (${runs} runs)`);
      vagrantPoints.push(await measure('vagrant', size, runs, undefined));
    }

    const targets: TargetCheck[] = [];
    const flatPair = gcePoints.filter((p) => p.size.etcd === 5 && p.size.controllers === 7);
    const few = flatPair[0];
    const many = flatPair.at(-1);
    if (few !== undefined && many !== undefined && few !== many) {
      const time = med(many, workMs) / med(few, workMs);
      const memory = med(many, (r) => r.maxRssBytes) / med(few, (r) => r.maxRssBytes);
      // The work itself must be the same: as many resources, as many rendered bytes (within
      // 0.1%: past 250 nodes the pod range is a /14, a few characters longer than a /16).
      const bytesFew = few.runs[0]?.renderedBytes ?? Number.NaN;
      const bytesMany = many.runs[0]?.renderedBytes ?? Number.NaN;
      const sameWork =
        many.runs[0]?.resources === few.runs[0]?.resources &&
        Math.abs(bytesMany - bytesFew) <= bytesFew * SAME_BYTES;
      targets.push({
        what: `GCE model + render + plan, workers max ${many.size.workers} ÷ max ${few.size.workers}: resources and rendered bytes, time, peak RSS`,
        target: `equal (bytes within ${SAME_BYTES * 100}%), ≤ ${FLAT_TIME}, ≤ ${FLAT_MEMORY}`,
        measured: `${sameWork ? 'equal' : 'different'}, ${time.toFixed(2)}, ${memory.toFixed(2)}`,
        met: sameWork && time <= FLAT_TIME && memory <= FLAT_MEMORY,
      });
    }
    const marginal = vagrantPoints.slice(1).map((p, i) => {
      const before = vagrantPoints[i];
      if (before === undefined) throw new Error('unreachable');
      const machines = p.machines - before.machines;
      return {
        from: before,
        to: p,
        msPerMachine: (med(p, workMs) - med(before, workMs)) / machines,
        bytesPerMachine:
          (med(p, (r) => r.maxRssBytes) - med(before, (r) => r.maxRssBytes)) / machines,
      };
    });
    const first = vagrantPoints[0];
    const last = vagrantPoints.at(-1);
    if (first !== undefined && last !== undefined && first !== last) {
      // At most linear: the cost may not grow faster than the machine count does.
      const machines = last.machines / first.machines;
      const time = med(last, workMs) / med(first, workMs);
      const memory = med(last, (r) => r.maxRssBytes) / med(first, (r) => r.maxRssBytes);
      targets.push({
        what: `Vagrant model + render + graph, ${last.machines} ÷ ${first.machines} machines: time, peak RSS`,
        target: `≤ ${machines.toFixed(1)} (the machine ratio)`,
        measured: `${time.toFixed(2)}, ${memory.toFixed(2)}`,
        met: time <= machines && memory <= machines,
      });
    }
    const markdown = [
      '## Scale: plan and render',
      '',
      `\`bench/sections/scale.ts\`; each point runs in a child process of its own (\`bench/children/scale-point.ts\`, ${runs} run${runs === 1 ? '' : 's'} per point, medians), which builds the model of the resized example, its PKI (reported apart: one certificate per etcd member and controller by design), renders every boot config (\`renderCluster\`), and then for GCE plans against an empty project in a GCE emulator running in the parent, so the emulator's memory is not counted, or for Vagrant builds the desired graph (project files, one machine resource per VM). Peak RSS is \`process.resourceUsage().maxRSS\`, which includes Node itself and every module the point loaded. A GCE point's first plan loads and creates the Google clients (once per process, like a CLI run); the second plan shows the plan itself. The Vagrant rows' marginal cost is below the noise of a shared machine at these sizes, so read the ratios, not the per-machine figures, there. Clusters past 250 nodes get a /14 pod range (the example's /16 holds 256 node subnets). On GCE the workers are one autoscaled group, so the worker maximum is a number in one resource.`,
      '',
      `Load average before: ${loadBefore}; after: ${loadAverage()}.`,
      '',
      '### GCE',
      '',
      pointTable(gcePoints, 'plan'),
      '',
      '### Vagrant',
      '',
      pointTable(vagrantPoints, 'desired graph'),
      '',
      table(
        ['Vagrant, from → to', 'ms per added machine', 'peak RSS per added machine, KB'],
        marginal.map((m) => [
          `${m.from.machines} → ${m.to.machines} machines`,
          ms(m.msPerMachine),
          (m.bytesPerMachine / 1e3).toFixed(0),
        ]),
      ),
      '',
      `Against the targets: ${targets.map((t) => `${t.what}: ${t.measured} — ${verdict(t.met)}`).join('; ')}.`,
    ].join('\n');
    return { markdown, targets };
  },
};
