import type { Diagnostic } from '../diagnostic.js';
import { accessRanges } from './access.js';
import { gceDnsZone, gceProject, gceZones } from './gce.js';
import { imageChannel, imageName } from './image.js';
import { passphraseEnv } from './key-store.js';
import { kubernetesClusterDomain, kubernetesVersion } from './kubernetes.js';
import { etcdCount, machineTypes, workerBounds } from './machine-sets.js';
import { clusterDomainName, clusterName } from './names.js';
import { networkRanges, nodeRangeSize, podRangeSize, serviceRangeSize } from './network.js';
import { pkiValidity } from './pki.js';
import type { ParsedSections, Rule } from './rule.js';
import { vagrantAutoscaling, vagrantBox, vagrantNetwork, vagrantNetworkSize } from './vagrant.js';

/** Every semantic rule, in the order their diagnostics are reported for object input. */
const specRules: readonly Rule[] = [
  clusterName,
  clusterDomainName,
  gceProject,
  gceZones,
  gceDnsZone,
  vagrantNetwork,
  vagrantNetworkSize,
  vagrantBox,
  kubernetesVersion,
  kubernetesClusterDomain,
  imageChannel,
  imageName,
  accessRanges,
  pkiValidity,
  passphraseEnv,
  etcdCount,
  ...machineTypes,
  workerBounds,
  vagrantAutoscaling,
  networkRanges,
  serviceRangeSize,
  podRangeSize,
  nodeRangeSize,
];

/** Runs every rule whose sections parsed and returns all their diagnostics. */
export function runSpecRules(sections: ParsedSections): Diagnostic[] {
  return specRules.flatMap((specRule) => specRule.run(sections));
}
