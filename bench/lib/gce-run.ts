import { apply, type EngineEvent, type PlanStep, plan } from '@hakoc/core';
import { type GceProvider, gce } from '@hakoc/provider-gce';
import { type GceEmulator, startGceEmulator } from '@hakoc/provider-gce/emulator';
import { emulatorOptionsFor } from './emulator-options.ts';
import type { GceCluster } from './gce-cluster.ts';
import { type CostedOperation, costedOperations } from './operation-costs.ts';
import type { StepWindow } from './step-weights.ts';

/** An emulator and a provider pointed at it, for one measurement. */
export interface GceWorld {
  readonly emulator: GceEmulator;
  readonly provider: GceProvider;
}

/**
 * Runs `work` against a fresh emulator at `latencyScale` and closes both afterwards. The
 * provider's request rate limit is off: it exists for Google's per-project quotas, and at the
 * emulator's scaled-down latencies it would be all that is measured.
 */
export async function withGceWorld<T>(
  cluster: GceCluster,
  latencyScale: number,
  work: (world: GceWorld) => Promise<T>,
): Promise<T> {
  const emulator = await startGceEmulator(emulatorOptionsFor(cluster.model, latencyScale));
  const provider = gce({ model: cluster.model, endpoint: emulator.url, requestsPerSecond: 0 });
  try {
    return await work({ emulator, provider });
  } finally {
    await provider.close();
    await emulator.close();
  }
}

/** What one apply from empty did and when. */
export interface ApplyTrace {
  /** The plan's steps (all creates). */
  readonly steps: readonly PlanStep[];
  /** The whole `apply()` call: lock, re-read, steps, outputs, lock release. */
  readonly wallMs: number;
  /** From `apply.started` to `apply.finished`: the steps alone. */
  readonly stepsMs: number;
  /** From the `apply()` call to `apply.started`: the lock and the re-read. */
  readonly beforeStepsMs: number;
  /** From `apply.finished` to the return: the outputs and the lock's release. */
  readonly afterStepsMs: number;
  /** Each step's start and end. */
  readonly windows: ReadonlyMap<string, StepWindow>;
  /** When the steps started and finished, epoch ms. */
  readonly stepsStartedAt: number;
  readonly stepsFinishedAt: number;
  /** Every cloud operation of the apply, the lock's included. */
  readonly operations: readonly CostedOperation[];
  /** Retries the engine made. */
  readonly retries: number;
  /** API calls of the apply (compute and DNS). */
  readonly calls: number;
}

/** Plans the cluster on an empty project, then applies it with `concurrency`, recording when each step ran. */
export async function traceApply(
  cluster: GceCluster,
  world: GceWorld,
  latencyScale: number,
  concurrency: number,
): Promise<ApplyTrace> {
  const planned = await plan(cluster.input, world.provider, { owner: cluster.owner });
  world.emulator.clearLog();
  const starts = new Map<string, number>();
  const windows = new Map<string, StepWindow>();
  let stepsStartedAt = Number.NaN;
  let stepsFinishedAt = Number.NaN;
  let stepsStarted = Number.NaN;
  let stepsFinished = Number.NaN;
  let retries = 0;
  const onEvent = (event: EngineEvent): void => {
    const now = Date.now();
    if (event.type === 'apply.started') {
      stepsStartedAt = now;
      stepsStarted = performance.now();
    } else if (event.type === 'apply.finished') {
      stepsFinishedAt = now;
      stepsFinished = performance.now();
    } else if (event.type === 'resource.start') starts.set(event.step.id, now);
    else if (event.type === 'resource.done') {
      windows.set(event.step.id, { start: starts.get(event.step.id) ?? now, end: now });
    } else if (event.type === 'resource.retry') retries += 1;
  };
  const started = performance.now();
  const result = await apply(planned, { concurrency, onEvent });
  const wallMs = performance.now() - started;
  if (result.totals.failed > 0 || result.totals.done !== planned.summary.changes) {
    throw new Error(`the apply did not finish: ${JSON.stringify(result.totals)}`);
  }
  return {
    steps: planned.steps,
    wallMs,
    stepsMs: stepsFinished - stepsStarted,
    beforeStepsMs: stepsStarted - started,
    afterStepsMs: started + wallMs - stepsFinished,
    windows,
    stepsStartedAt,
    stepsFinishedAt,
    operations: costedOperations(world.emulator, latencyScale),
    retries,
    calls:
      world.emulator.countCalls({ api: 'compute' }) + world.emulator.countCalls({ api: 'dns' }),
  };
}
