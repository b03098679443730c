import { type ActualResource, checkVersionStep } from '@hakoc/core';
import type { GceInput } from './desired.js';
import type { GceState } from './gce-resource-type.js';
import {
  INSTANCE_TEMPLATE_TYPE,
  type InstanceTemplateSpec,
} from './resources/instance-template.js';

/**
 * The Kubernetes releases the cluster's control-plane and worker templates carry (their
 * `hakoc-kubernetes-version` label): one while the cluster is settled, two during a roll
 * (the old template is deleted once nothing uses it). Empty for a new cluster.
 */
export function runningKubernetesVersions(actual: readonly ActualResource[]): string[] {
  const versions = actual
    .filter((a) => a.type === INSTANCE_TEMPLATE_TYPE)
    .map((a) => (a.state as Partial<GceState<InstanceTemplateSpec>>).fields?.kubernetesVersion)
    .filter((version): version is string => version !== undefined)
    .filter((version) => version !== '');
  return [...new Set(versions)].sort();
}

/**
 * Refuses a plan that would skip a Kubernetes minor version or go back one, by what the
 * templates say runs now.
 *
 * @throws HakocError `HAKOC_VERSION_SKIP` or `HAKOC_VERSION_DOWNGRADE`.
 */
export function checkKubernetesChange(input: GceInput, actual: readonly ActualResource[]): void {
  checkVersionStep({
    product: 'Kubernetes',
    running: runningKubernetesVersions(actual),
    desired: input.model.kubernetes.version,
    field: 'spec.kubernetes.version',
  });
}
