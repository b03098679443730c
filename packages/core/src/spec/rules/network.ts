import type { Ipv4Range } from '../cidr.js';
import { rangeSize, rangesOverlap } from '../cidr.js';
import type { Diagnostic } from '../diagnostic.js';
import { mostWorkers } from '../schema/machine-sets.js';
import { POD_SUBNET_PREFIX_LENGTH } from '../schema/network.js';
import { checkCidr, isRange } from './cidr-check.js';
import { error, type RuleInput, rule } from './rule.js';

/** Addresses GCE keeps in every subnet: network, gateway, second-to-last and broadcast. */
const GCE_RESERVED_ADDRESSES = 4;

/** The service IPs the model takes: the API service (first) and cluster DNS (tenth). */
const SERVICE_IPS_NEEDED = 10;

/** Kubernetes refuses a service range wider than 20 bits (a /12 for IPv4). */
const WIDEST_SERVICE_PREFIX = 12;

interface NamedRange {
  readonly path: readonly (string | number)[];
  readonly label: string;
  readonly range: Ipv4Range;
}

/**
 * Every cluster range that parsed, with its field path. Problems are reported for the
 * `spec.network` fields only; the Vagrant network joins the overlap check when it is valid
 * (the Vagrant rules report it otherwise).
 */
function clusterRanges(sections: RuleInput<'network'>): {
  ranges: NamedRange[];
  problems: Diagnostic[];
} {
  const ranges: NamedRange[] = [];
  const problems: Diagnostic[] = [];
  for (const name of ['nodeCidr', 'podCidr', 'serviceCidr'] as const) {
    const path = ['spec', 'network', name];
    const checked = checkCidr(sections.network[name], path);
    if (isRange(checked)) ranges.push({ path, label: name, range: checked });
    else problems.push(checked);
  }
  if (sections.provider !== undefined && 'vagrant' in sections.provider) {
    const path = ['spec', 'provider', 'vagrant', 'network'];
    const checked = checkCidr(sections.provider.vagrant.network, path);
    if (isRange(checked)) ranges.push({ path, label: 'the Vagrant network', range: checked });
  }
  return { ranges, problems };
}

/** CIDRs must be valid, and machines, pods and services must not share addresses. */
export const networkRanges = rule(['network'], (sections) => {
  const { ranges, problems } = clusterRanges(sections);
  ranges.forEach((later, index) => {
    for (const earlier of ranges.slice(0, index)) {
      if (!rangesOverlap(earlier.range, later.range)) continue;
      problems.push(
        error(
          'network.overlap',
          later.path,
          `${later.label} ${later.range.cidr} overlaps ${earlier.label} ${earlier.range.cidr}`,
          'give machines, pods and services separate ranges',
        ),
      );
    }
  });
  return problems;
});

/** The service range must hold the tenth address, and Kubernetes caps its width. */
export const serviceRangeSize = rule(['network'], ({ network }) => {
  const path = ['spec', 'network', 'serviceCidr'];
  const range = checkCidr(network.serviceCidr, path);
  if (!isRange(range)) return [];
  if (rangeSize(range) - 2 < SERVICE_IPS_NEEDED) {
    return [
      error(
        'network.serviceCidrTooSmall',
        path,
        `${range.cidr} has fewer than ${SERVICE_IPS_NEEDED} service addresses`,
        'the cluster DNS service takes the tenth address; use a /28 or wider, typically a /16',
      ),
    ];
  }
  if (range.prefix < WIDEST_SERVICE_PREFIX) {
    return [
      error(
        'network.serviceCidrTooLarge',
        path,
        `${range.cidr} is wider than Kubernetes allows`,
        `use a /${WIDEST_SERVICE_PREFIX} or narrower, typically a /16`,
      ),
    ];
  }
  return [];
});

/** Every node (controllers and workers) gets a pod subnet; the pod range must hold them all. */
export const podRangeSize = rule(['network', 'controlPlane', 'workers'], (sections) => {
  const path = ['spec', 'network', 'podCidr'];
  const range = checkCidr(sections.network.podCidr, path);
  if (!isRange(range)) return [];
  const nodes = sections.controlPlane.count + mostWorkers(sections.workers);
  const subnets =
    range.prefix > POD_SUBNET_PREFIX_LENGTH ? 0 : 2 ** (POD_SUBNET_PREFIX_LENGTH - range.prefix);
  if (subnets >= nodes) return [];
  return [
    error(
      'network.podCidrTooSmall',
      path,
      `${range.cidr} holds ${subnets} node subnets (/${POD_SUBNET_PREFIX_LENGTH}), the cluster may have ${nodes} nodes`,
      `use a /${POD_SUBNET_PREFIX_LENGTH - Math.ceil(Math.log2(nodes))} or wider`,
    ),
  ];
});

/** On GCE every machine takes an address of the node subnet, the internal LB one more. */
export const nodeRangeSize = rule(
  ['network', 'provider', 'etcd', 'controlPlane', 'workers'],
  (sections) => {
    if (!('gce' in sections.provider)) return [];
    const path = ['spec', 'network', 'nodeCidr'];
    const range = checkCidr(sections.network.nodeCidr, path);
    if (!isRange(range)) return [];
    const machines =
      sections.etcd.count +
      sections.controlPlane.count +
      mostWorkers(sections.workers) +
      (sections.provider.gce.internalLoadBalancer ? 1 : 0);
    const usable = rangeSize(range) - GCE_RESERVED_ADDRESSES;
    if (usable >= machines) return [];
    return [
      error(
        'network.nodeCidrTooSmall',
        path,
        `${range.cidr} has ${Math.max(usable, 0)} usable addresses, the cluster may need ${machines}`,
        `use a /${32 - Math.ceil(Math.log2(machines + GCE_RESERVED_ADDRESSES))} or wider`,
      ),
    ];
  },
);
