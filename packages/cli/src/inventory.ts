import type { ActualResource, Owner } from '@hakoc/core';
import type { ClusterProvider } from './session.js';

/** The longest a command waits for the list calls before giving up. */
export const LIST_TIMEOUT_MS = 120_000;

/**
 * Everything the cluster owns, read with each resource type's `list` (one call per type, all at
 * once), in the provider's type order. Reads only: no lock, no plan, no boot configs.
 */
export async function listOwned(
  provider: Pick<ClusterProvider, 'types'>,
  owner: Owner,
  signal: AbortSignal,
): Promise<ActualResource[]> {
  const lists = await Promise.all(
    provider.types.map((type) => type.list({ owner, signal }, owner)),
  );
  return provider.types.flatMap((type, index) =>
    (lists[index] ?? []).map((state) => ({ type: type.type, state })),
  );
}

/** How many objects of each type, in the order the types first appear. */
export function countByType(actual: readonly ActualResource[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const { type } of actual) counts.set(type, (counts.get(type) ?? 0) + 1);
  return counts;
}
