import { assembleClusterPki, type ClusterPki } from './cluster-pki.js';
import { reconcilePki } from './reconcile.js';
import { type PkiRequest, validatePkiRequest } from './request.js';

/** Options for {@link createClusterPki}. */
export interface CreateClusterPkiOptions {
  /** The issue time. @default new Date() */
  readonly now?: Date;
}

/**
 * Creates a whole new cluster PKI in memory, nothing written anywhere. Keys are made and
 * certificates signed concurrently with native WebCrypto. Most callers want
 * `loadOrCreatePki`, which keeps the result in an encrypted key store.
 */
export async function createClusterPki(
  request: PkiRequest,
  options: CreateClusterPkiOptions = {},
): Promise<ClusterPki> {
  validatePkiRequest(request);
  const empty = {
    certificates: new Map<string, string>(),
    keys: new Map<string, string>(),
    serviceAccountKey: undefined,
    bootstrapToken: undefined,
  };
  const { material } = await reconcilePki(request, empty, { now: options.now ?? new Date() });
  return assembleClusterPki(request, material);
}
