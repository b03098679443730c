import type { RetryPolicy } from './options.js';
import type { Owner } from './owner.js';
import type { Provider } from './provider.js';
import { ProviderError } from './provider-error.js';
import { callWithRetry } from './retry.js';

/**
 * Runs the provider's preflight check, if it has one, with the usual retries; resolves to the
 * warnings it returned.
 */
export async function runPreflight(
  provider: Pick<Provider<never>, 'name' | 'preflight'>,
  owner: Owner,
  settings: { readonly signal: AbortSignal; readonly retry: RetryPolicy | undefined },
): Promise<readonly string[]> {
  const preflight = provider.preflight?.bind(provider);
  if (preflight === undefined) return [];
  const result = await callWithRetry(() => preflight({ owner, signal: settings.signal }), {
    policy: settings.retry,
    signal: settings.signal,
    classify: (cause) =>
      new ProviderError(`Preflight of provider "${provider.name}" failed.`, {
        provider: provider.name,
        operation: 'preflight',
        cause,
      }),
  });
  return result?.warnings ?? [];
}
