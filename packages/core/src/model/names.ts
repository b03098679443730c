import { HakocError } from '@hakoc/certs';

/** A GCE resource name: an RFC 1035 label of lowercase letters, digits and hyphens. */
export const GCE_NAME_PATTERN = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

/** The longest name GCE accepts for instances, groups, templates, rules and addresses. */
export const GCE_NAME_MAX_LENGTH = 63;

/**
 * Characters reserved after the cluster name in every resource name hakoc derives. The longest
 * names are a role word (`-controller`, 11), a resource kind (`-healthcheck`, 12) and an
 * 8-character content hash (`-1a2b3c4d`, 9) on immutable instance templates: 32, plus one
 * spare. Keeping the cluster name within the rest means no derived name can exceed 63.
 */
export const RESOURCE_NAME_SUFFIX_BUDGET = 33;

/** The longest cluster name: {@link GCE_NAME_MAX_LENGTH} minus {@link RESOURCE_NAME_SUFFIX_BUDGET}. */
export const MAX_CLUSTER_NAME_LENGTH = GCE_NAME_MAX_LENGTH - RESOURCE_NAME_SUFFIX_BUDGET;

/** The stable code of the error {@link resourceName} throws. */
export const RESOURCE_NAME_INVALID = 'HAKOC_RESOURCE_NAME_INVALID';

/**
 * Joins a cluster name and suffix parts into a GCE resource name (`demo`, `worker`, `hc` →
 * `demo-worker-hc`). Throws a {@link HakocError} when the result is not a valid GCE name, so
 * a suffix that outgrows {@link RESOURCE_NAME_SUFFIX_BUDGET} fails loudly in tests.
 */
export function resourceName(clusterName: string, ...parts: readonly string[]): string {
  const name = [clusterName, ...parts].join('-');
  if (name.length > GCE_NAME_MAX_LENGTH || !GCE_NAME_PATTERN.test(name)) {
    throw new HakocError(RESOURCE_NAME_INVALID, `"${name}" is not a valid GCE resource name`, {
      hint: `names are RFC 1035 labels of at most ${GCE_NAME_MAX_LENGTH} characters; the suffix after the cluster name may use ${RESOURCE_NAME_SUFFIX_BUDGET}`,
    });
  }
  return name;
}
