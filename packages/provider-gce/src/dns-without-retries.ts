import { createRequire } from 'node:module';
import type { DNS } from '@google-cloud/dns';

type Callback = (error: Error | null, ...rest: unknown[]) => void;
type Send = (request: object, optionsOrCallback?: unknown) => unknown;

/** What `@google-cloud/dns` sends requests with: `@google-cloud/common`'s `util.makeRequest`. */
interface CommonUtil {
  makeRequest(
    request: object,
    config: { readonly autoRetry: boolean; readonly maxRetries: number },
    callback: Callback,
  ): { abort(): void } | undefined;
}

let commonUtil: CommonUtil | undefined;

/** The `@google-cloud/common` that `@google-cloud/dns` itself loads (its own dependency). */
function dnsCommonUtil(): CommonUtil {
  if (commonUtil === undefined) {
    const requireHere = createRequire(import.meta.url);
    const requireFromDns = createRequire(requireHere.resolve('@google-cloud/dns'));
    commonUtil = (requireFromDns('@google-cloud/common') as { util: CommonUtil }).util;
  }
  return commonUtil;
}

/**
 * Makes `dns` send every request exactly once; hakoc's engine retries with its own policy,
 * request ids, deadlines and cancellation.
 *
 * Why by hand: `@google-cloud/dns` (through `@google-cloud/common` and `retry-request`) resends a
 * request up to three times, 2 to 9 s apart, on 429 and 5xx answers and on a connection that died
 * without one — `changes.create`, a POST, included — whatever its caller does meanwhile. A change
 * could so land after its step had timed out, after the run had released the lock, even after a
 * destroy, and a resend of a change that had been carried out meets that change as a conflict.
 * The fault storms found both. The client takes no option for it (its request config is fixed at
 * construction), so its authenticated requests are handed to the same `makeRequest` with
 * `autoRetry` off. The client still builds, authenticates and parses every call.
 */
export function withoutHiddenRetries(dns: DNS): DNS {
  const util = dnsCommonUtil();
  const authenticated = dns.makeAuthenticatedRequest as unknown as Send;
  const sendOnce = (request: object, optionsOrCallback?: unknown): unknown => {
    // Streams (no callback) are not used by the provider: leave them as the client made them.
    if (typeof optionsOrCallback !== 'function') return authenticated(request, optionsOrCallback);
    const callback = optionsOrCallback as Callback;
    let active: { abort(): void } | undefined;
    let aborted = false;
    authenticated(request, {
      onAuthenticated(error: Error | null, ready: object) {
        if (error) return callback(error);
        if (!aborted)
          active = util.makeRequest(ready, { autoRetry: false, maxRetries: 0 }, callback);
      },
    });
    return {
      abort() {
        aborted = true;
        active?.abort();
      },
    };
  };
  dns.makeAuthenticatedRequest = Object.assign(sendOnce, {
    getCredentials: dns.makeAuthenticatedRequest.getCredentials,
    authClient: dns.makeAuthenticatedRequest.authClient,
  }) as unknown as DNS['makeAuthenticatedRequest'];
  return dns;
}
