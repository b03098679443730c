import { canonicalJson, sha256 } from './digest.js';
import { explainNotPlainJson } from './not-plain-json-error.js';
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
  /**
   * A sha256 of every object read (of what each type's `fingerprint` picks from it); equal
   * fingerprints mean nothing changed.
   */
  readonly fingerprint: string;
}

/**
 * Lists every resource type of `provider` for `owner`, in parallel, one list call per type.
 *
 * @throws ProviderError (reason `invalid`) for an object that does not prove it is owned, or
 * whose state or fingerprint is not plain JSON.
 */
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
      const resource = `${type.type}/${state.name}`;
      const refuse = (message: string) =>
        new ProviderError(message, {
          provider: provider.name,
          operation: 'list',
          resource,
          reason: 'invalid',
        });
      // Listing is the provider's job, but deleting what is not ours is the worst thing an
      // engine can do: an object must prove it is ours, by labels unless its type proves it
      // another way (a description marker the list call filtered on).
      const proof = type.ownership ?? 'labels';
      const wrongLabels = state.labels !== undefined && !isOwnedBy(state.labels, owner);
      if (wrongLabels || (proof === 'labels' && state.labels === undefined)) {
        throw refuse(
          `Listing ${type.type} returned ${state.name} (${state.id}), which does not carry the labels of cluster "${owner.cluster}".`,
        );
      }
      const fingerprinted = type.fingerprint === undefined ? state : type.fingerprint(state);
      explainNotPlainJson(
        `The ${type.fingerprint === undefined ? 'state' : 'fingerprint'} of ${resource} (${state.id})`,
        refuse,
        () => canonicalJson(fingerprinted),
      );
      entries.push([type.type, state.id, state.name, fingerprinted]);
    }
    byType.set(type.type, states);
  });
  return { byType, fingerprint: sha256(canonicalJson(entries)) };
}
