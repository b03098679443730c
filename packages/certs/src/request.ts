import { isIP } from 'node:net';
import { HakocError } from './errors.js';

/** The key algorithms the PKI can use. ECDSA P-256 is the default: small, fast, widely accepted. */
export type KeyAlgorithm = 'ecdsa-p256' | 'rsa-2048' | 'rsa-3072' | 'rsa-4096';

/** One etcd member, as the cluster model names and addresses it. */
export interface EtcdMemberRequest {
  /** Member name, also its folder in the key store; a DNS label such as `etcd-0`. */
  readonly name: string;
  /** Its DNS name, such as `etcd-0.example.com`. */
  readonly dnsName: string;
  /** Every IP address peers and clients reach it on. */
  readonly ips: readonly string[];
}

/** One control-plane machine: its name and addresses go into the apiserver certificate. */
export interface ControlPlaneMachineRequest {
  /** Host name, such as `controller-0`. */
  readonly name: string;
  /** Its IP addresses. */
  readonly ips: readonly string[];
}

/** Validity periods in days. */
export interface PkiValidity {
  /** The three CAs. @default 3650 */
  readonly caDays: number;
  /** Leaves signed by the cluster and front-proxy CAs. @default 365 */
  readonly leafDays: number;
  /** Leaves signed by the etcd CA. @default 365 */
  readonly etcdDays: number;
  /** How long a worker bootstrap token stays valid. @default leafDays */
  readonly bootstrapTokenDays?: number;
}

/**
 * What to issue: the plain, typed description of a cluster that `@hakoc/certs` needs.
 *
 * `@hakoc/core` derives it from its cluster model; this package cannot import that model
 * (it sits at the bottom of the import graph).
 */
export interface PkiRequest {
  /** Cluster name; names the cluster and user entries in kubeconfigs. */
  readonly clusterName: string;
  /** The cluster's DNS domain, such as `example.com`. */
  readonly domain: string;
  /** The in-cluster DNS domain. @default 'cluster.local' in the cluster spec */
  readonly clusterDomain: string;
  /** The first address of the service CIDR, where `kubernetes.default` answers. */
  readonly apiServiceIp: string;
  /** The API server's public name, normally `api.<domain>`. */
  readonly apiEndpoint: string;
  /** The API server port on the endpoint and on each control-plane machine. @default 6443 */
  readonly apiPort?: number;
  /** The load balancer's address (IP or name), once known. */
  readonly loadBalancerAddress?: string;
  /** Every etcd member. */
  readonly etcdMembers: readonly EtcdMemberRequest[];
  /**
   * Every control-plane machine known in advance; may be empty where a managed instance group
   * names them at run time (GCE). The API server certificate still carries the API endpoint,
   * the load balancer, the in-cluster names and localhost, which is how everything reaches it.
   */
  readonly controlPlane: readonly ControlPlaneMachineRequest[];
  /** Algorithm for keys created from now on; existing keys are kept. */
  readonly keyAlgorithm: KeyAlgorithm;
  /** Validity periods. */
  readonly validity: PkiValidity;
}

const keyAlgorithms: readonly KeyAlgorithm[] = ['ecdsa-p256', 'rsa-2048', 'rsa-3072', 'rsa-4096'];
const dnsLabel = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const dnsName =
  /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?(\.[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)*$/;

/** The API server port a request asks for. */
export function apiPortOf(request: PkiRequest): number {
  return request.apiPort ?? 6443;
}

/**
 * Checks a {@link PkiRequest} and throws one `HAKOC_PKI_REQUEST_INVALID` error listing every
 * problem, so a caller fixes them all at once.
 */
export function validatePkiRequest(request: PkiRequest): void {
  const problems: string[] = [];
  const name = (path: string, value: string, pattern: RegExp, what: string) => {
    if (!pattern.test(value)) problems.push(`${path}: "${value}" is not a valid ${what}`);
  };
  const ip = (path: string, value: string) => {
    if (isIP(value) === 0) problems.push(`${path}: "${value}" is not an IP address`);
  };
  const days = (path: string, value: number | undefined) => {
    if (value !== undefined && (!Number.isInteger(value) || value < 1)) {
      problems.push(`${path}: ${value} is not a whole number of days ≥ 1`);
    }
  };

  if (request.clusterName.length === 0) problems.push('clusterName: must not be empty');
  name('domain', request.domain, dnsName, 'DNS name');
  name('clusterDomain', request.clusterDomain, dnsName, 'DNS name');
  ip('apiServiceIp', request.apiServiceIp);
  name('apiEndpoint', request.apiEndpoint, dnsName, 'DNS name');
  const port = apiPortOf(request);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    problems.push(`apiPort: ${port} is not a TCP port`);
  }
  const lb = request.loadBalancerAddress;
  if (lb !== undefined && isIP(lb) === 0)
    name('loadBalancerAddress', lb, dnsName, 'IP or DNS name');
  if (!keyAlgorithms.includes(request.keyAlgorithm)) {
    problems.push(
      `keyAlgorithm: "${request.keyAlgorithm}" is not one of ${keyAlgorithms.join(', ')}`,
    );
  }

  if (request.etcdMembers.length === 0) problems.push('etcdMembers: at least one member is needed');
  const seen = new Set<string>();
  request.etcdMembers.forEach((member, i) => {
    name(`etcdMembers[${i}].name`, member.name, dnsLabel, 'DNS label');
    if (seen.has(member.name))
      problems.push(`etcdMembers[${i}].name: "${member.name}" is repeated`);
    seen.add(member.name);
    name(`etcdMembers[${i}].dnsName`, member.dnsName, dnsName, 'DNS name');
    for (const [j, value] of member.ips.entries()) ip(`etcdMembers[${i}].ips[${j}]`, value);
  });
  request.controlPlane.forEach((machine, i) => {
    name(`controlPlane[${i}].name`, machine.name, dnsName, 'DNS name');
    for (const [j, value] of machine.ips.entries()) ip(`controlPlane[${i}].ips[${j}]`, value);
  });

  const { caDays, leafDays, etcdDays, bootstrapTokenDays } = request.validity;
  days('validity.caDays', caDays);
  days('validity.leafDays', leafDays);
  days('validity.etcdDays', etcdDays);
  days('validity.bootstrapTokenDays', bootstrapTokenDays);
  // A leaf that outlives its CA is unusable for its last days; say so now rather than then.
  if (leafDays > caDays) problems.push('validity.leafDays: must not exceed caDays');
  if (etcdDays > caDays) problems.push('validity.etcdDays: must not exceed caDays');

  if (problems.length > 0) {
    throw new HakocError(
      'HAKOC_PKI_REQUEST_INVALID',
      `The PKI request is invalid:\n  ${problems.join('\n  ')}`,
      { hint: 'Fix the cluster spec fields these come from and run again.' },
    );
  }
}
