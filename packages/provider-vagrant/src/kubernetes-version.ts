import { type ActualResource, checkVersionStep } from '@hakoc/core';
import type { VagrantProviderInput } from './desired.js';
import { VAGRANT_MACHINE_TYPE, type VagrantMachineResourceState } from './machine-resource.js';

/**
 * The Kubernetes releases the cluster's machines run, as `machines.json` records them for each
 * provisioned controller and worker: one while the cluster is settled, two during a roll.
 * Machines recorded before hakoc kept the release, and machines not provisioned, say nothing.
 */
export function runningKubernetesVersions(actual: readonly ActualResource[]): string[] {
  const versions = actual
    .filter((resource) => resource.type === VAGRANT_MACHINE_TYPE)
    .map((resource) => resource.state as VagrantMachineResourceState)
    .filter((machine) => machine.userDataSha256 !== '' && machine.kubernetesVersion !== '')
    .map((machine) => machine.kubernetesVersion);
  return [...new Set(versions)].sort();
}

/**
 * Refuses a plan that would skip a Kubernetes minor version or go back one, by what the
 * machines run now (a roll left half-way counts as its oldest release), as on GCE.
 *
 * @throws HakocError `HAKOC_VERSION_SKIP` or `HAKOC_VERSION_DOWNGRADE`.
 */
export function checkKubernetesChange(
  input: VagrantProviderInput,
  actual: readonly ActualResource[],
): void {
  checkVersionStep({
    product: 'Kubernetes',
    running: runningKubernetesVersions(actual),
    desired: input.model.kubernetes.version,
    field: 'spec.kubernetes.version',
  });
}
