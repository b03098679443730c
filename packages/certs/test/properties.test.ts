import { X509Certificate } from 'node:crypto';
import { type ClusterPki, createClusterPki, type PkiRequest } from '@hakoc/certs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { x509 } from '../src/x509-provider.js';

const label = fc.stringMatching(/^[a-z][a-z0-9]{0,8}$/);
const domain = fc
  .array(label, { minLength: 1, maxLength: 3 })
  .map((labels) => `${labels.join('.')}.test`);
const ips = fc.uniqueArray(fc.oneof(fc.ipV4(), fc.ipV6()), { minLength: 1, maxLength: 2 });

const requests: fc.Arbitrary<PkiRequest> = fc
  .record({
    domain,
    clusterDomain: fc.constantFrom('cluster.local', 'k8s.internal'),
    apiServiceIp: fc.ipV4(),
    loadBalancerAddress: fc.option(fc.oneof(fc.ipV4(), domain), { nil: undefined }),
    etcdNumbers: fc.uniqueArray(fc.nat(99), { minLength: 1, maxLength: 5 }),
    etcdIps: fc.array(ips, { minLength: 5, maxLength: 5 }),
    controlPlaneIps: fc.array(ips, { minLength: 1, maxLength: 3 }),
    caDays: fc.integer({ min: 30, max: 7300 }),
    leafFraction: fc.double({ min: 0.01, max: 1, noNaN: true }),
  })
  .map((r) => {
    const leafDays = Math.max(1, Math.floor(r.caDays * r.leafFraction));
    return {
      clusterName: 'prop',
      domain: r.domain,
      clusterDomain: r.clusterDomain,
      apiServiceIp: r.apiServiceIp,
      apiEndpoint: `api.${r.domain}`,
      ...(r.loadBalancerAddress === undefined
        ? {}
        : { loadBalancerAddress: r.loadBalancerAddress }),
      etcdMembers: r.etcdNumbers.map((n, i) => ({
        name: `etcd-${n}`,
        dnsName: `etcd-${n}.${r.domain}`,
        ips: r.etcdIps[i] ?? [],
      })),
      controlPlane: r.controlPlaneIps.map((addresses, i) => ({
        name: `controller-${i}`,
        ips: addresses,
      })),
      keyAlgorithm: 'ecdsa-p256' as const,
      validity: { caDays: r.caDays, leafDays, etcdDays: leafDays },
    };
  });

/** Checks every certificate of a PKI against the CA it names; returns nothing, throws on failure. */
async function expectEveryChainCorrect(pki: ClusterPki, request: PkiRequest): Promise<void> {
  const parsed = new Map(
    pki.certificates.map((entry) => [entry.id, new x509.X509Certificate(entry.certificate)]),
  );
  const etcdIds = new Set(['apiserver-etcd-client', 'etcd/healthcheck-client']);
  for (const member of request.etcdMembers) {
    etcdIds.add(`etcd/${member.name}/server`).add(`etcd/${member.name}/peer`);
  }
  for (const entry of pki.certificates) {
    const certificate = parsed.get(entry.id);
    const ca = parsed.get(entry.issuer);
    if (certificate === undefined || ca === undefined) throw new Error(`missing ${entry.id}`);
    const basic = certificate.getExtension(x509.BasicConstraintsExtension);
    const usage = certificate.getExtension(x509.KeyUsagesExtension);
    const ski = ca.getExtension(x509.SubjectKeyIdentifierExtension);
    const aki = certificate.getExtension(x509.AuthorityKeyIdentifierExtension);

    expect(certificate.issuer).toBe(ca.subject);
    expect(
      await certificate.verify({ publicKey: ca.publicKey, signatureOnly: true }),
      entry.id,
    ).toBe(true);
    expect(aki?.keyId).toBe(ski?.keyId);
    expect(certificate.notAfter.getTime()).toBeLessThanOrEqual(ca.notAfter.getTime());
    expect(BigInt(`0x${certificate.serialNumber}`) > 0n).toBe(true);
    if (entry.kind === 'ca') {
      expect(entry.issuer).toBe(entry.id);
      expect(basic).toMatchObject({ ca: true, pathLength: 0, critical: true });
    } else {
      expect(basic?.ca, `${entry.id} must not be a CA`).toBe(false);
      expect((usage?.usages ?? 0) & x509.KeyUsageFlags.keyCertSign).toBe(0);
      expect(entry.issuer).toBe(
        etcdIds.has(entry.id)
          ? 'etcd/ca'
          : entry.id === 'front-proxy-client'
            ? 'front-proxy-ca'
            : 'ca',
      );
    }
  }
  // Node's own X509Certificate matches names independently of how we wrote them.
  const nodeCertificate = (id: string) => {
    const entry = pki.certificates.find((candidate) => candidate.id === id);
    return new X509Certificate(entry?.certificate ?? '');
  };
  const apiserver = nodeCertificate('apiserver');
  for (const ip of [request.apiServiceIp, ...request.controlPlane.flatMap((m) => m.ips)]) {
    expect(apiserver.checkIP(ip), ip).toBeDefined();
  }
  expect(apiserver.checkHost(request.apiEndpoint)).toBe(request.apiEndpoint);
  for (const member of request.etcdMembers) {
    const server = nodeCertificate(`etcd/${member.name}/server`);
    for (const ip of member.ips) expect(server.checkIP(ip), ip).toBeDefined();
    expect(server.checkHost(member.dnsName)).toBe(member.dnsName);
    expect(server.checkHost('unrelated.invalid')).toBeUndefined();
  }
}

describe('whatever the request', () => {
  it('every certificate chains to the right CA, CAs have pathlen 0 and no leaf is a CA', async () => {
    await fc.assert(
      fc.asyncProperty(requests, async (request) => {
        await expectEveryChainCorrect(await createClusterPki(request), request);
      }),
      { seed: 20261127, numRuns: 12 },
    );
  });
});
