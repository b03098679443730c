import { isIP } from 'node:net';
import { canonicalIp } from './ip-address.js';
import type { PkiRequest } from './request.js';

/** The three certificate authorities, by their path in the key store. */
export type CaId = 'ca' | 'etcd/ca' | 'front-proxy-ca';

/**
 * What a certificate is for, which fixes its key usages and extended key usages:
 * `server` (serverAuth), `client` (clientAuth), `peer` (both; etcd members dial each other).
 */
export type CertificateKind = 'ca' | 'server' | 'client' | 'peer';

/** Everything that decides a certificate's content, apart from its key and validity dates. */
export interface CertificateProfile {
  /** Path in the key store without extension, kubeadm's layout: `apiserver`, `etcd/ca`. */
  readonly id: string;
  /** The CA that signs it; a CA signs itself. */
  readonly issuer: CaId;
  readonly kind: CertificateKind;
  readonly commonName: string;
  /** Organisations (O=); Kubernetes reads them as the groups of a client certificate. */
  readonly organizations: readonly string[];
  readonly dnsNames: readonly string[];
  readonly ipAddresses: readonly string[];
  readonly validityDays: number;
}

/**
 * The kubeconfigs the PKI renders: `admin` (group `kubeadm:cluster-admins`), the break-glass
 * `superAdmin` (`system:masters`), `controllerManager` and `scheduler`.
 */
export type KubeconfigUser = 'admin' | 'superAdmin' | 'controllerManager' | 'scheduler';

interface KubeconfigUserIdentity {
  readonly id: string;
  readonly cn: string;
  readonly o: readonly string[];
}

/** Who the PKI's client certificates with a kubeconfig belong to. */
export const kubeconfigUsers: Readonly<Record<KubeconfigUser, KubeconfigUserIdentity>> = {
  admin: { id: 'kubeconfig/admin', cn: 'kubernetes-admin', o: ['kubeadm:cluster-admins'] },
  superAdmin: { id: 'kubeconfig/super-admin', cn: 'kubernetes-super-admin', o: ['system:masters'] },
  controllerManager: {
    id: 'kubeconfig/controller-manager',
    cn: 'system:kube-controller-manager',
    o: [],
  },
  scheduler: { id: 'kubeconfig/scheduler', cn: 'system:kube-scheduler', o: [] },
};

const unique = (values: readonly string[]): string[] => [...new Set(values)];

/**
 * Every certificate a request needs: the three CAs first, then the leaves, in a stable order.
 * Names follow kubeadm's; etcd member certificates live in `etcd/<member>/`.
 */
export function certificateProfiles(request: PkiRequest): CertificateProfile[] {
  const { caDays, leafDays, etcdDays } = request.validity;
  const ca = (id: CaId, commonName: string): CertificateProfile => ({
    id,
    issuer: id,
    kind: 'ca',
    commonName,
    organizations: [],
    dnsNames: [],
    ipAddresses: [],
    validityDays: caDays,
  });
  const leaf = (
    id: string,
    issuer: CaId,
    kind: CertificateKind,
    commonName: string,
    organizations: readonly string[] = [],
    dnsNames: readonly string[] = [],
    ipAddresses: readonly string[] = [],
  ): CertificateProfile => ({
    id,
    issuer,
    kind,
    commonName,
    organizations,
    dnsNames: unique(dnsNames),
    ipAddresses: unique(ipAddresses.map(canonicalIp)),
    validityDays: issuer === 'etcd/ca' ? etcdDays : leafDays,
  });

  const lb = request.loadBalancerAddress;
  const lbIsIp = lb !== undefined && isIP(lb) !== 0;
  const apiserverNames = [
    'kubernetes',
    'kubernetes.default',
    'kubernetes.default.svc',
    `kubernetes.default.svc.${request.clusterDomain}`,
    request.apiEndpoint,
    ...(lb !== undefined && !lbIsIp ? [lb] : []),
    ...request.controlPlane.map((machine) => machine.name),
    // controller-manager and scheduler reach their own machine's apiserver on 127.0.0.1,
    // not through the load balancer (a passthrough LB keeps its own IP as the destination,
    // so a backend reaching itself through it can hairpin-fail); see `kubeconfigServer`.
    'localhost',
  ];
  const apiserverIps = [
    request.apiServiceIp,
    ...(lb !== undefined && lbIsIp ? [lb] : []),
    ...request.controlPlane.flatMap((machine) => machine.ips),
    '127.0.0.1',
  ];

  const profiles: CertificateProfile[] = [
    ca('ca', 'kubernetes'),
    ca('etcd/ca', 'etcd-ca'),
    ca('front-proxy-ca', 'front-proxy-ca'),
    leaf('apiserver', 'ca', 'server', 'kube-apiserver', [], apiserverNames, apiserverIps),
    leaf('apiserver-kubelet-client', 'ca', 'client', 'kube-apiserver-kubelet-client', [
      'kubeadm:cluster-admins',
    ]),
    leaf('apiserver-etcd-client', 'etcd/ca', 'client', 'kube-apiserver-etcd-client'),
    leaf('front-proxy-client', 'front-proxy-ca', 'client', 'front-proxy-client'),
    leaf('etcd/healthcheck-client', 'etcd/ca', 'client', 'kube-etcd-healthcheck-client'),
  ];
  for (const member of request.etcdMembers) {
    const names = [member.name, member.dnsName, 'localhost'];
    const ips = [...member.ips, '127.0.0.1', '::1'];
    for (const role of ['server', 'peer'] as const) {
      profiles.push(
        leaf(`etcd/${member.name}/${role}`, 'etcd/ca', 'peer', member.name, [], names, ips),
      );
    }
  }
  for (const user of Object.values(kubeconfigUsers)) {
    profiles.push(leaf(user.id, 'ca', 'client', user.cn, user.o));
  }
  return profiles;
}
