import type { ClusterSpec } from '../spec/index.js';
import type { ClusterModel, ProviderModel } from './cluster-model.js';
import { buildEndpoints } from './endpoints.js';
import { ownershipLabels } from './labels.js';
import { buildMachineSets } from './machine-sets.js';
import { buildNetworkPlan } from './network-plan.js';

/**
 * Derives the cluster model from a parsed spec: machine sets with names, zones, counts and
 * autoscaling bounds; the address plan; endpoints; ownership labels.
 *
 * Pure and deterministic: no clock, no randomness, no I/O, so the same spec always gives a
 * model that serialises to the same JSON.
 */
export function buildClusterModel(spec: ClusterSpec): ClusterModel {
  const { name } = spec.metadata;
  const { domain, provider, kubernetes, image, access, pki, keyStore } = spec.spec;
  const machineSets = buildMachineSets(spec);
  const providerModel: ProviderModel =
    'gce' in provider ? { name: 'gce', ...provider.gce } : { name: 'vagrant', ...provider.vagrant };
  return {
    name,
    domain,
    provider: structuredClone(providerModel),
    kubernetes: { ...kubernetes },
    image: { ...image, kubernetesBinaries: image.name === undefined ? 'download' : 'image' },
    labels: ownershipLabels(name),
    access: structuredClone(access),
    pki: { ...pki },
    keyStore: structuredClone(keyStore),
    machineSets,
    network: buildNetworkPlan(spec.spec),
    endpoints: buildEndpoints(name, domain, machineSets.etcd),
    etcdSnapshots: { ...spec.spec.etcd.snapshots },
  };
}
