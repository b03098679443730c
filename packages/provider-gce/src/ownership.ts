import { CLUSTER_LABEL, MANAGED_LABEL, type Owner } from '@hakoc/core';

/**
 * Ownership of GCE objects that carry no labels (networks, subnetworks, firewalls, health
 * checks, instance group managers, autoscalers, backend services): a marker at the start of
 * their `description`, `hakoc-managed=true hakoc-cluster=<name>`, followed by what the object is
 * for. Listing keeps only objects whose marker names our cluster, so a look-alike made by hand
 * (same name, no marker) is never touched.
 */

const MARKER =
  /^hakoc-managed=true hakoc-cluster=([a-z][-a-z0-9]*)(?: hakoc-role=([a-z-]+))?(?:: |$)/;

/** The description of an object `owner` makes, with an optional role and a human note. */
export function ownedDescription(owner: Owner, note: string, role?: string): string {
  const roleTag = role === undefined ? '' : ` hakoc-role=${role}`;
  return `hakoc-managed=true hakoc-cluster=${owner.cluster}${roleTag}: ${note}`;
}

/** The labels a description marker stands for, or `undefined` when it has none. */
export function labelsOfDescription(
  description: string | null | undefined,
): Record<string, string> | undefined {
  const match = MARKER.exec(description ?? '');
  if (match === null || match[1] === undefined) return undefined;
  const labels: Record<string, string> = { [CLUSTER_LABEL]: match[1], [MANAGED_LABEL]: 'true' };
  if (match[2] !== undefined) labels['hakoc-role'] = match[2];
  return labels;
}

/** True when `labels` (real ones or a marker's) carry every ownership label of `owner`. */
export function ownedBy(
  labels: Readonly<Record<string, string>> | null | undefined,
  owner: Owner,
): labels is Readonly<Record<string, string>> {
  if (labels === null || labels === undefined) return false;
  return Object.entries(owner.labels).every(([key, value]) => labels[key] === value);
}

/** A list filter that keeps objects labelled for `owner` (on collections that have labels). */
export function labelFilter(owner: Owner): string {
  return Object.entries(owner.labels)
    .map(([key, value]) => `labels.${key} = "${value}"`)
    .join(' AND ');
}
