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
    expect(files.map((file) => file.path)).toEqual([
      '/etc/kubernetes/pki/ca.crt',
      '/etc/kubernetes/bootstrap-kubelet.conf',
    ]);
    for (const file of files) expect(text(file.content)).not.toContain('PRIVATE KEY');
  });

  it('gives an etcd member only its own pairs and the etcd CA certificate', () => {
    const files = machineFiles(pki, { role: 'etcd', member: 'etcd-1' });
    expect(files.map((file) => `${file.path} ${file.mode.toString(8)}`)).toEqual([
      '/etc/etcd/pki/ca.crt 644',
      '/etc/etcd/pki/server.crt 644',
      '/etc/etcd/pki/server.key 600',
      '/etc/etcd/pki/peer.crt 644',
      '/etc/etcd/pki/peer.key 600',
    ]);
    expect(
      machineFiles(
        pki,
        { role: 'etcd', member: 'etcd-1' },
        {
          kubernetesDir: '/k',
          etcdPkiDir: '/e',
        },
      )[0]?.path,
    ).toBe('/e/ca.crt');
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

  it('gives a controller no super-admin credential and no bootstrap kubeconfig', () => {
    const files = machineFiles(pki, { role: 'control-plane' });
    const contents = files.map((file) => text(file.content));
    expect(contents).not.toContain(pki.kubeconfigs.superAdmin.reveal());
    expect(contents).not.toContain(pki.clientCertificates.superAdmin.key.reveal());
    expect(files.map((file) => file.path)).not.toContain('/etc/kubernetes/bootstrap-kubelet.conf');
    expect(files.map((file) => file.path)).toContain('/etc/kubernetes/pki/ca.key');
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
