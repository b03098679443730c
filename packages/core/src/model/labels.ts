import type { MachineRole } from './cluster-model.js';

/** Label naming the role of a machine set's resources, next to the ownership labels. */
export const ROLE_LABEL = 'hakoc-role';

/** The word each role goes by in names and labels (GCE label values are lowercase). */
export const ROLE_WORDS: Record<MachineRole, string> = {
  etcd: 'etcd',
  controlPlane: 'controller',
  workers: 'worker',
};

/**
 * Labels every resource of cluster `name` carries: the engine's ownership labels
 * (`CLUSTER_LABEL`, `MANAGED_LABEL`, the same as `createOwner(name).labels`), by which plan
 * lists and destroy deletes.
 */
export function ownershipLabels(name: string): Record<string, string> {
  return { 'hakoc-cluster': name, 'hakoc-managed': 'true' };
}
