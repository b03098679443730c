import {
  componentImagesFor,
  composeBootConfig,
  corednsManifests,
  flannelManifests,
  isHakocError,
  kubeApiserverPod,
  kubeControllerManagerPod,
  kubeletConfiguration,
  kubeProxyManifests,
  kubeSchedulerPod,
  type ModuleArtifacts,
  roleBootConfig,
  roleModules,
  tlsBootstrapManifests,
} from '@hakoc/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { exampleModel, pkiFor } from '../render/fixtures.js';

const gce = exampleModel('gce');
const vagrant = exampleModel('vagrant');
let artifacts: ModuleArtifacts;

beforeAll(async () => {
  artifacts = {
    pki: await pkiFor(vagrant),
    binaries: { source: 'image' },
    images: componentImagesFor(vagrant, {}),
  };
});

describe('Kubernetes manifests', () => {
  it('every manifest fits the Kubernetes OpenAPI schema', () => {
    for (const model of [gce, vagrant]) {
      const images = componentImagesFor(model, {});
      const objects = [
        kubeApiserverPod(model, images),
        kubeControllerManagerPod(model, images),
        kubeSchedulerPod(images),
        ...kubeProxyManifests(model, images),
        ...flannelManifests(model, images),
        ...corednsManifests(model, images),
        ...tlsBootstrapManifests(artifacts.pki),
      ];
      expect(objects.length).toBeGreaterThan(15);
      for (const object of objects) expect(() => object.validate()).not.toThrow();
    }
  });

  it('validation catches a wrong type, so the check above can fail', async () => {
    const { Pod } = await import('kubernetes-models/v1/Pod');
    const broken = new Pod({
      metadata: { name: 'x' },
      spec: { containers: [{ name: 'x', image: 42 as unknown as string }] },
    });
    expect(() => broken.validate()).toThrow(/image/);
  });

  it('gives the apiserver the flags the issue lists', () => {
    const command = kubeApiserverPod(gce, artifacts.images).spec?.containers[0]?.command ?? [];
    for (const flag of [
      '--etcd-servers=https://etcd-0.k8s.example.com:2379,https://etcd-1.k8s.example.com:2379,https://etcd-2.k8s.example.com:2379',
      '--etcd-cafile=/etc/kubernetes/pki/etcd/ca.crt',
      '--authorization-mode=Node,RBAC',
      '--enable-bootstrap-token-auth=true',
      '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
      '--service-account-signing-key-file=/etc/kubernetes/pki/sa.key',
      '--requestheader-client-ca-file=/etc/kubernetes/pki/front-proxy-ca.crt',
      '--kubelet-client-certificate=/etc/kubernetes/pki/apiserver-kubelet-client.crt',
      '--service-cluster-ip-range=10.3.0.0/16',
      '--audit-log-path=/var/log/kubernetes/audit/audit.log',
      '--advertise-address=__NODE_IP__',
    ]) {
      expect(command).toContain(flag);
    }
  });

  it('binds flannel to the node InternalIP and serves CoreDNS on the cluster DNS IP', () => {
    const daemonSet = flannelManifests(vagrant, artifacts.images).at(-1)?.toJSON() as {
      spec: { template: { spec: { containers: { args: string[] }[] } } };
    };
    expect(daemonSet.spec.template.spec.containers[0]?.args).toContain('--iface=$(NODE_IP)');
    const service = corednsManifests(vagrant, artifacts.images).at(-1)?.toJSON() as {
      spec: { clusterIP: string };
    };
    expect(service.spec.clusterIP).toBe(vagrant.network.clusterDnsIp);
  });
});

describe('roles', () => {
  it('compose without conflicts for every role of both examples', () => {
    for (const model of [gce, vagrant]) {
      const member = {
        ...model.machineSets.etcd,
        machines: model.machineSets.etcd.machines.slice(0, 1),
      };
      for (const set of [member, model.machineSets.controlPlane, model.machineSets.workers]) {
        expect(roleBootConfig(model, set, artifacts).units.length).toBeGreaterThan(0);
      }
    }
  });

  it('report two modules writing one path, naming both', () => {
    const [first] = roleModules.workers;
    if (first === undefined) throw new Error('no modules');
    let caught: unknown;
    try {
      composeBootConfig(
        ['one', 'two'].map((module) => ({
          module,
          part: first.module(vagrant, vagrant.machineSets.workers, artifacts),
        })),
      );
    } catch (error) {
      caught = error;
    }
    expect(isHakocError(caught) && caught.code).toBe('HAKOC_BOOT_CONFLICT');
    expect(String(caught)).toContain('one and two');
  });

  it('refuses an etcd set of more than one member', () => {
    expect(() => roleBootConfig(vagrant, vagrant.machineSets.etcd, artifacts)).toThrow(
      /one member at a time/,
    );
  });

  it('finds the node IP in the Vagrant private network, never the NAT interface', () => {
    const worker = roleBootConfig(vagrant, vagrant.machineSets.workers, artifacts);
    const unit = worker.units.find((u) => u.name === 'hakoc-node-environment.service');
    expect(unit?.contents).toContain('node-environment 192.168.56.0/24 /run/hakoc/node.env');
    const kubelet = worker.units.find((u) => u.name === 'kubelet.service')?.contents ?? '';
    expect(kubelet).toContain(`--node-ip=\${NODE_IP}`);
    expect(kubelet).toContain('--bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubelet.conf');
    const gceWorker = roleBootConfig(gce, gce.machineSets.workers, artifacts);
    expect(
      gceWorker.units.find((u) => u.name === 'hakoc-node-environment.service')?.contents,
    ).toContain('node-environment 10.240.0.0/20');
  });

  it('turns on certificate rotation, keeps serving certificates self-signed, taints controllers', () => {
    const worker = kubeletConfiguration(vagrant, vagrant.machineSets.workers);
    expect(worker).toMatchObject({ rotateCertificates: true, serverTLSBootstrap: false });
    expect(worker.staticPodPath).toBeUndefined();
    const controller = kubeletConfiguration(vagrant, vagrant.machineSets.controlPlane);
    expect(controller.registerWithTaints).toEqual([
      { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' },
    ]);
  });
});
