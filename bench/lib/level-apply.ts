import { randomUUID } from 'node:crypto';
import { isProviderError, type Owner, type Provider, type Resource, resourceId } from '@hakoc/core';
import { dependencyLevels } from './critical-path.ts';

/** What a level-by-level run did. */
export interface LevelRun {
  /** From the first create to the last one's end. */
  readonly wallMs: number;
  /** Resources per level, first level first. */
  readonly levelSizes: readonly number[];
  /** Creates tried again after a retryable error. */
  readonly retries: number;
}

const MAX_ATTEMPTS = 6;
const RETRY_DELAY_MS = 20;

/**
 * Creates the desired graph the way a scheduler that works in waves does: every resource of a
 * dependency level (at most `parallelism` at once), and only when the whole level is done the
 * next one. It calls the provider's own resource types, as `apply` does, so only the order
 * differs; there is no lock and no re-read, which `apply` pays for besides its steps.
 */
export async function applyByLevels<Input>(
  provider: Provider<Input>,
  input: Input,
  owner: Owner,
  parallelism: number,
): Promise<LevelRun> {
  const resources = await provider.desired(input);
  const byId = new Map(resources.map((r) => [resourceId(r), r]));
  const levels = dependencyLevels(
    resources.map((r) => ({ id: resourceId(r), dependsOn: (r.dependsOn ?? []).map(resourceId) })),
  );
  const signal = new AbortController().signal;
  let retries = 0;
  const create = async (resource: Resource): Promise<void> => {
    const type = provider.types.find((t) => t.type === resource.type);
    if (type === undefined) throw new Error(`no resource type ${resource.type}`);
    for (let attempt = 1; ; attempt += 1) {
      try {
        const ctx = { owner, signal, requestId: randomUUID(), attempt, progress: () => {} };
        await type.create(ctx, resource);
        return;
      } catch (error) {
        if (!isProviderError(error) || !error.retryable || attempt >= MAX_ATTEMPTS) throw error;
        retries += 1;
        await new Promise((resolve) => setTimeout(resolve, RETRY_DELAY_MS));
      }
    }
  };
  const started = performance.now();
  for (const level of levels) {
    const queue = level.map((id) => byId.get(id)).filter((r) => r !== undefined);
    const worker = async (): Promise<void> => {
      for (let next = queue.shift(); next !== undefined; next = queue.shift()) await create(next);
    };
    await Promise.all(Array.from({ length: Math.min(parallelism, queue.length) }, worker));
  }
  return {
    wallMs: performance.now() - started,
    levelSizes: levels.map((level) => level.length),
    retries,
  };
}
