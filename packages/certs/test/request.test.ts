import { isHakocError, validatePkiRequest } from '@hakoc/certs';
import { describe, expect, it } from 'vitest';
import { sampleRequest } from './fixtures.js';

describe('validatePkiRequest', () => {
  it('accepts the sample request', () => {
    expect(() => validatePkiRequest(sampleRequest())).not.toThrow();
  });

  it('reports every problem at once', () => {
    const request = sampleRequest({
      apiServiceIp: '10.3.0',
      apiEndpoint: 'API endpoint',
      etcdMembers: [
        { name: 'etcd-0', dnsName: 'etcd-0.example.com', ips: ['10.0.0.1'] },
        { name: 'etcd-0', dnsName: 'etcd-0.example.com', ips: ['300.0.0.1'] },
        { name: '../escape', dnsName: 'x.example.com', ips: [] },
      ],
      controlPlane: [{ name: 'Not A Name', ips: ['10.0.0'] }],
      validity: { caDays: 10, leafDays: 365, etcdDays: 0 },
    });
    let message = '';
    try {
      validatePkiRequest(request);
    } catch (error) {
      expect(isHakocError(error) && error.code).toBe('HAKOC_PKI_REQUEST_INVALID');
      message = (error as Error).message;
    }
    for (const problem of [
      'apiServiceIp',
      'apiEndpoint',
      'etcdMembers[1].name: "etcd-0" is repeated',
      'etcdMembers[1].ips[0]',
      'etcdMembers[2].name',
      'controlPlane[0].name',
      'controlPlane[0].ips[0]',
      'validity.etcdDays',
      'validity.leafDays: must not exceed caDays',
    ]) {
      expect(message).toContain(problem);
    }
  });
});
