import { canonicalJson, sha256 } from './digest.js';
import type { RetryPolicy } from './options.js';
import { isOwnedBy, type Owner } from './owner.js';
import type { Provider } from './provider.js';
import { ProviderError } from './provider-error.js';
import type { ResourceState } from './resource-type.js';
import { callWithRetry } from './retry.js';

/** Everything the owner owns, as read from the cloud, and a fingerprint of it. */
export interface Snapshot {
  /** The objects of each resource type, by type name. */
  readonly byType: ReadonlyMap<string, readonly ResourceState[]>;
  /** A sha256 of every object read; equal fingerprints mean nothing changed. */
  readonly fingerprint: string;
}

/** Lists every resource type of `provider` for `owner`, in parallel, one list call per type. */
export async function readSnapshot(
  provider: Pick<Provider<never>, 'name' | 'types'>,
  owner: Owner,
  settings: { readonly signal: AbortSignal; readonly retry: RetryPolicy | undefined },
): Promise<Snapshot> {
  const ctx = { owner, signal: settings.signal };
  const lists = await Promise.all(
    provider.types.map((type) =>
      callWithRetry(() => type.list(ctx, owner), {
        policy: settings.retry,
        signal: settings.signal,
        classify: (cause) =>
          new ProviderError(`Listing ${type.type} failed.`, {
            provider: provider.name,
            operation: 'list',
            cause,
          }),
      }),
    ),
  );
  const byType = new Map<string, readonly ResourceState[]>();
  const entries: unknown[] = [];
  provider.types.forEach((type, index) => {
    const states = [...(lists[index] ?? [])].sort((a, b) =>
      a.id < b.id ? -1 : a.id > b.id ? 1 : 0,
    );
    for (const state of states) {
      // Listing is the provider's job, but deleting what is not ours is the worst thing an
      // engine can do, so an object without our labels stops everything.
      if (state.labels !== undefined && !isOwnedBy(state.labels, owner)) {
        throw new ProviderError(
          `Listing ${type.type} returned ${state.name} (${state.id}), which does not carry the labels of cluster "${owner.cluster}".`,
          {
            provider: provider.name,
            operation: 'list',
            resource: `${type.type}/${state.name}`,
            reason: 'invalid',
          },
        );
      }
      entries.push([type.type, state.id, state.name, state]);
    }
    byType.set(type.type, states);
  });
  return { byType, fingerprint: sha256(canonicalJson(entries)) };
}
