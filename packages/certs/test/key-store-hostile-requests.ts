import type { PkiRequest } from '@hakoc/certs';
import { sampleRequest } from './fixtures.js';

/**
 * The requests the SIGKILL test's writer process runs: a first store of the sample cluster, and
 * that store grown by two etcd members and a control-plane address (new keys and certificates,
 * and the apiserver certificate reissued).
 */
export function writerRequest(mode: 'first' | 'grown'): PkiRequest {
  const base = sampleRequest();
  if (mode === 'first') return base;
  return sampleRequest({
    etcdMembers: [
      ...base.etcdMembers,
      ...[3, 4].map((i) => ({
        name: `etcd-${i}`,
        dnsName: `etcd-${i}.example.com`,
        ips: [`10.0.0.${10 + i}`],
      })),
    ],
    controlPlane: [...base.controlPlane, { name: 'controller-3', ips: ['10.0.0.23'] }],
  });
}
