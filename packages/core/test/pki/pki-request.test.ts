import { readFileSync } from 'node:fs';
import { validatePkiRequest } from '@hakoc/certs';
import { buildClusterModel, loadClusterSpec, pkiRequestFor } from '@hakoc/core';
import { describe, expect, it } from 'vitest';

const model = (example: string) =>
  buildClusterModel(
    loadClusterSpec(
      readFileSync(new URL(`../../../../examples/${example}`, import.meta.url), 'utf8'),
    ),
  );

describe('pkiRequestFor', () => {
  it('describes every etcd member and the API names of the GCE example', () => {
    const request = pkiRequestFor(model('gce.yaml'));
    expect(() => validatePkiRequest(request)).not.toThrow();
    expect(request.etcdMembers.map((m) => m.dnsName)).toEqual([
      'etcd-0.k8s.example.com',
      'etcd-1.k8s.example.com',
      'etcd-2.k8s.example.com',
    ]);
    expect(request.apiEndpoint).toBe('api.k8s.example.com');
    expect(request.apiServiceIp).toBe('10.3.0.1');
    expect(request.loadBalancerAddress).toBeUndefined();
    expect(request.keyAlgorithm).toBe('ecdsa-p256');
    expect(request.validity).toEqual({ caDays: 3650, leafDays: 365, etcdDays: 365 });
  });

  it('carries the private addresses of every Vagrant machine and the load balancer', () => {
    const vagrant = model('vagrant.yaml');
    const request = pkiRequestFor(vagrant);
    expect(() => validatePkiRequest(request)).not.toThrow();
    expect(request.loadBalancerAddress).toBe(vagrant.network.privateNetwork?.loadBalancerIp);
    expect(request.controlPlane).toHaveLength(3);
    for (const member of [...request.etcdMembers, ...request.controlPlane]) {
      expect(member.ips).toHaveLength(1);
      expect(member.ips[0]).toMatch(/^192\.168\.56\.\d+$/);
    }
  });

  it('takes the load balancer address the provider reserved', () => {
    const request = pkiRequestFor(model('gce.yaml'), { loadBalancerAddress: '203.0.113.7' });
    expect(request.loadBalancerAddress).toBe('203.0.113.7');
  });
});
