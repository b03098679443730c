import {
  type ClusterPki,
  createClusterPki,
  isHakocError,
  machineFiles,
  Secret,
} from '@hakoc/certs';
import { beforeAll, describe, expect, it } from 'vitest';
import { sampleRequest } from './fixtures.js';

const text = (content: string | Secret) => (content instanceof Secret ? content.reveal() : content);

describe('machineFiles', () => {
  let pki: ClusterPki;
  beforeAll(async () => {
    pki = await createClusterPki(sampleRequest());
  });

  it('gives a worker the CA certificate and a token, never a key', () => {
    const files = machineFiles(pki, { role: 'worker' });
    expect(files.map((file) => file.path)).toEqual(['pki/ca.crt', 'bootstrap-kubelet.conf']);
    for (const file of files) expect(text(file.content)).not.toContain('PRIVATE KEY');
  });

  it('gives an etcd member only its own pairs, the health-check client and the etcd CA certificate', () => {
    const files = machineFiles(pki, { role: 'etcd', member: 'etcd-1' });
    expect(files.map((file) => `${file.path} ${file.mode.toString(8)}`)).toEqual([
      'pki/etcd/ca.crt 644',
      'pki/etcd/server.crt 644',
      'pki/etcd/server.key 600',
      'pki/etcd/peer.crt 644',
      'pki/etcd/peer.key 600',
      'pki/etcd/healthcheck-client.crt 644',
      'pki/etcd/healthcheck-client.key 600',
    ]);
    expect(text(files[1]?.content ?? '')).toBe(pki.etcdMembers['etcd-1']?.server.certificate);
    const error = (() => {
      try {
        machineFiles(pki, { role: 'etcd', member: 'etcd-9' });
      } catch (caught) {
        return caught;
      }
    })();
    expect(isHakocError(error) && error.code).toBe('HAKOC_PKI_UNKNOWN_MEMBER');
  });

  it('never ships the etcd or front-proxy CA keys; keys and credentials are Secrets with mode 0600', () => {
    const all = [
      ...machineFiles(pki, { role: 'control-plane' }),
      ...machineFiles(pki, { role: 'worker' }),
      ...pki.certificates
        .map((entry) => entry.id)
        .filter((id) => id.startsWith('etcd/etcd-'))
        .map((id) => id.split('/')[1] ?? '')
        .flatMap((member) => machineFiles(pki, { role: 'etcd', member })),
    ];
    const contents = all.map((file) => text(file.content));
    expect(contents).not.toContain(pki.etcdCa.key.reveal());
    expect(contents).not.toContain(pki.frontProxyCa.key.reveal());
    for (const file of all) {
      const holdsSecret = /PRIVATE KEY|client-key-data|token:/.test(text(file.content));
      expect(file.content instanceof Secret, file.path).toBe(holdsSecret);
      expect(file.mode, file.path).toBe(holdsSecret ? 0o600 : 0o644);
    }
  });
});
