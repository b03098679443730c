import { canonicalJson, sha256 } from './digest.js';
import { type Resource, resourceId } from './resource.js';

/**
 * The resource's spec as a plan shows it: plain JSON with every secret field replaced by a
 * sha256 of its value. The hash is salted with the cluster, resource and field, so equal
 * secrets in two places do not look equal and a table of common values does not reverse it; a
 * changed secret still shows as a changed hash.
 */
export function redactedSpec(resource: Resource, cluster: string): unknown {
  const spec: unknown = JSON.parse(canonicalJson(resource.spec));
  const secrets = resource.secretFields ?? [];
  if (secrets.length === 0) return spec;
  const hash = (field: string, value: unknown) =>
    sha256(canonicalJson([cluster, resourceId(resource), field, value]));
  // A spec that is not an object cannot have fields: hide all of it rather than guess.
  if (spec === null || typeof spec !== 'object' || Array.isArray(spec)) return hash('', spec);
  const shown: Record<string, unknown> = { ...spec };
  for (const field of secrets) {
    if (field in shown) shown[field] = hash(field, shown[field]);
  }
  return shown;
}
