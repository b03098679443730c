import { CLUSTER_LABEL, MANAGED_LABEL } from '../engine/owner.js';
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
 * Labels every resource of cluster `name` carries: the engine's ownership labels, by which plan
 * lists and destroy deletes. Built from the engine's label constants (the same pair as
 * `createOwner(name).labels`) so there is one source; not from `createOwner` itself, which
 * throws on a bad name, while the model is built from a spec whose name is already checked.
 */
export function ownershipLabels(name: string): Record<string, string> {
  return { [CLUSTER_LABEL]: name, [MANAGED_LABEL]: 'true' };
}
