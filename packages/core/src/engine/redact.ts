import { createHmac } from 'node:crypto';
import { canonicalJson } from './digest.js';
import { type Resource, resourceId } from './resource.js';

/** How a plan shows secret fields. */
export interface SecretDisplay {
  /** The cluster name, mixed into keyed hashes. */
  readonly cluster: string;
  /** The key of the keyed hashes; without one, secrets show as markers only. */
  readonly secretKey: string | Uint8Array | undefined;
  /** The spec fields the step changes, for the `(secret, changed)` marker. */
  readonly changedFields: readonly string[];
}

/** What a secret field shows without a key, when the step does not change it. */
export const SECRET_MARKER = '(secret)';

/** What a secret field shows without a key, when the step changes it. */
export const CHANGED_SECRET_MARKER = '(secret, changed)';

/**
 * The resource's spec as a plan shows it: plain JSON with every secret field replaced.
 *
 * Without a key a secret shows as {@link SECRET_MARKER} or {@link CHANGED_SECRET_MARKER}. With
 * `secretKey` it shows as `hmac-sha256:<hex>` keyed by it, over the cluster, resource, field and
 * value: equal secrets in two places look different, a changed secret shows as a changed hash,
 * and — the key being nowhere in the plan — a reader of the plan cannot test guesses against it.
 * A plain (even salted) hash would let them: the salt would have to be in the plan too.
 */
export function redactedSpec(resource: Resource, display: SecretDisplay): unknown {
  const spec: unknown = JSON.parse(canonicalJson(resource.spec));
  const secrets = resource.secretFields ?? [];
  if (secrets.length === 0) return spec;
  const { secretKey } = display;
  const shown = (field: string, value: unknown): string =>
    secretKey === undefined
      ? display.changedFields.includes(field) || (field === '' && display.changedFields.length > 0)
        ? CHANGED_SECRET_MARKER
        : SECRET_MARKER
      : `hmac-sha256:${createHmac('sha256', secretKey)
          .update(canonicalJson([display.cluster, resourceId(resource), field, value]))
          .digest('hex')}`;
  // A spec that is not an object cannot have fields: hide all of it rather than guess.
  if (spec === null || typeof spec !== 'object' || Array.isArray(spec)) return shown('', spec);
  const result: Record<string, unknown> = { ...spec };
  for (const field of secrets) {
    if (field in result) result[field] = shown(field, result[field]);
  }
  return result;
}
