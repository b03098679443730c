import { HakocError } from '@hakoc/certs';

/** The label that names the cluster a cloud object belongs to. */
export const CLUSTER_LABEL = 'hakoc-cluster';

/** The label that says hakoc created (and may delete) a cloud object. */
export const MANAGED_LABEL = 'hakoc-managed';

/** The stable code of an invalid cluster name given to {@link createOwner}. */
export const OWNER_INVALID_CODE = 'HAKOC_OWNER_INVALID';

/**
 * Who owns a set of cloud objects: the ownership labels every object we create carries.
 * Listing and deleting go by these labels, never by a name prefix.
 */
export interface Owner {
  /** The cluster name, the value of {@link CLUSTER_LABEL}. */
  readonly cluster: string;
  /** Exactly `{ "hakoc-cluster": cluster, "hakoc-managed": "true" }`. */
  readonly labels: Readonly<Record<string, string>>;
}

// A GCE label value and a DNS label at once, so every provider can store it as is.
const clusterName = /^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/;

/**
 * The owner of the cluster called `cluster`.
 *
 * @throws HakocError `HAKOC_OWNER_INVALID` when `cluster` is not a lowercase DNS label.
 */
export function createOwner(cluster: string): Owner {
  if (!clusterName.test(cluster)) {
    throw new HakocError(OWNER_INVALID_CODE, `"${cluster}" is not a valid cluster name.`, {
      hint: 'Use 1-63 lowercase letters, digits and hyphens, starting with a letter.',
    });
  }
  return Object.freeze({
    cluster,
    labels: Object.freeze({ [CLUSTER_LABEL]: cluster, [MANAGED_LABEL]: 'true' }),
  });
}

/** True when `labels` carry every ownership label of `owner`. */
export function isOwnedBy(
  labels: Readonly<Record<string, string>> | undefined,
  owner: Owner,
): boolean {
  if (labels === undefined) return false;
  return Object.entries(owner.labels).every(([key, value]) => labels[key] === value);
}
