import {
  buildClusterModel,
  type ClusterSpec,
  createOwner,
  loadClusterSpec,
  resourceName,
  SpecError,
} from '@hakoc/core';
import { describe, expect, it } from 'vitest';
import { exampleText, gceInput, vagrantInput, withField } from '../spec/fixtures.js';

const example = (name: 'gce' | 'vagrant') => buildClusterModel(loadClusterSpec(exampleText(name)));

describe('buildClusterModel', () => {
  it('models examples/gce.yaml', () => {
    expect(example('gce')).toMatchSnapshot();
  });

  it('models examples/vagrant.yaml', () => {
    expect(example('vagrant')).toMatchSnapshot();
  });

  it('names sets and etcd members, and spreads members over zones on GCE', () => {
    const model = example('gce');
    const { etcd, controlPlane, workers } = model.machineSets;
    expect([etcd.name, controlPlane.name, workers.name]).toEqual([
      'demo-etcd',
      'demo-controller',
      'demo-worker',
    ]);
    expect(etcd.machines).toEqual([
      { name: 'demo-etcd-0', index: 0, zone: 'europe-west1-b', dnsName: 'etcd-0.k8s.example.com' },
      { name: 'demo-etcd-1', index: 1, zone: 'europe-west1-c', dnsName: 'etcd-1.k8s.example.com' },
      { name: 'demo-etcd-2', index: 2, zone: 'europe-west1-d', dnsName: 'etcd-2.k8s.example.com' },
    ]);
    // Managed instance groups name controllers and workers themselves.
    expect(controlPlane.machines).toEqual([]);
    expect(workers).toMatchObject({
      count: 2,
      autoscaling: { min: 2, max: 10, cpuTarget: 0.6 },
      zones: ['europe-west1-b', 'europe-west1-c', 'europe-west1-d'],
      labels: { 'hakoc-cluster': 'demo', 'hakoc-managed': 'true', 'hakoc-role': 'worker' },
    });
    expect(model.labels).toEqual({ 'hakoc-cluster': 'demo', 'hakoc-managed': 'true' });
    // The engine lists and deletes by its owner's labels: they must be the model's.
    expect(model.labels).toEqual(createOwner('demo').labels);
  });

  it('derives the service IPs and the endpoints', () => {
    const model = example('gce');
    expect(model.network).toMatchObject({ apiServiceIp: '10.3.0.1', clusterDnsIp: '10.3.0.10' });
    expect(model.network.privateNetwork).toBeUndefined();
    expect(model.endpoints).toMatchObject({
      api: 'api.k8s.example.com',
      apiPort: 6443,
      apiUrl: 'https://api.k8s.example.com:6443',
    });
    expect(model.endpoints.etcd.initialCluster).toBe(
      'demo-etcd-0=https://etcd-0.k8s.example.com:2380,demo-etcd-1=https://etcd-1.k8s.example.com:2380,demo-etcd-2=https://etcd-2.k8s.example.com:2380',
    );
    expect(model.endpoints.etcd.initialClusterToken).toBe('hakoc-demo');
  });

  it('lays out the Vagrant network: host, load balancer, then a fixed block per role', () => {
    const model = example('vagrant');
    expect(model.network.privateNetwork).toEqual({
      cidr: '192.168.56.0/24',
      hostIp: '192.168.56.1',
      loadBalancerIp: '192.168.56.2',
    });
    const { etcd, controlPlane, workers } = model.machineSets;
    expect(
      [...etcd.machines, ...controlPlane.machines, ...workers.machines].map((m) => [m.name, m.ip]),
    ).toEqual([
      ['demo-etcd-0', '192.168.56.10'],
      ['demo-etcd-1', '192.168.56.11'],
      ['demo-etcd-2', '192.168.56.12'],
      ['demo-controller-0', '192.168.56.20'],
      ['demo-controller-1', '192.168.56.21'],
      ['demo-controller-2', '192.168.56.22'],
      ['demo-worker-0', '192.168.56.100'],
      ['demo-worker-1', '192.168.56.101'],
    ]);
    expect(etcd.zones).toEqual([]);
    expect(model.endpoints.etcd.initialCluster).toBe(
      'demo-etcd-0=https://192.168.56.10:2380,demo-etcd-1=https://192.168.56.11:2380,demo-etcd-2=https://192.168.56.12:2380',
    );
  });

  it('runs min workers without an autoscaler on Vagrant', () => {
    const spec = loadClusterSpec(
      withField(vagrantInput(), ['spec', 'workers'], { min: 1, max: 5 }),
    );
    const { workers } = buildClusterModel(spec).machineSets;
    expect(workers.count).toBe(1);
    expect(workers.autoscaling).toBeUndefined();
    expect(workers.machines.map((m) => m.name)).toEqual(['demo-worker-0']);
  });

  it('puts etcd members in distinct zones while zones last, then wraps round', () => {
    const input = withField(gceInput(), ['spec', 'etcd', 'count'], 5);
    const zonesOf = (zones: string[]) =>
      buildClusterModel(
        loadClusterSpec(withField(input, ['spec', 'provider', 'gce', 'zones'], zones)),
      ).machineSets.etcd.machines.map((m) => m.zone);
    expect(zonesOf(['europe-west1-b', 'europe-west1-c'])).toEqual([
      'europe-west1-b',
      'europe-west1-c',
      'europe-west1-b',
      'europe-west1-c',
      'europe-west1-b',
    ]);
  });

  it('marks where Kubernetes binaries come from', () => {
    expect(example('gce').image.kubernetesBinaries).toBe('download');
    const prebuilt = loadClusterSpec(withField(gceInput(), ['spec', 'image', 'name'], 'k8s-1-37'));
    expect(buildClusterModel(prebuilt).image).toEqual({
      os: 'flatcar',
      channel: 'stable',
      name: 'k8s-1-37',
      kubernetesBinaries: 'image',
    });
  });

  it('does not share objects with the spec', () => {
    const spec = loadClusterSpec(exampleText('gce'));
    const before = JSON.stringify(spec);
    const model = buildClusterModel(spec);
    model.access.apiSourceRanges.push('10.0.0.0/8');
    if (model.provider.name === 'gce') model.provider.zones.push('europe-west1-z');
    model.machineSets.controlPlane.zones.push('x');
    expect(JSON.stringify(spec)).toBe(before);
  });

  it('refuses a hand-made spec with a broken range', () => {
    const spec = loadClusterSpec(exampleText('gce'));
    const broken: ClusterSpec = {
      ...spec,
      spec: { ...spec.spec, network: { ...spec.spec.network, serviceCidr: 'nope' } },
    };
    expect(() => buildClusterModel(broken)).toThrow(SpecError);
  });
});

describe('resourceName', () => {
  it('joins parts into a GCE name', () => {
    expect(resourceName('demo', 'controller', 'hc')).toBe('demo-controller-hc');
  });

  it('fits the longest planned suffix after the longest cluster name', () => {
    expect(resourceName('a'.repeat(30), 'controller', 'healthcheck', '1a2b3c4d')).toHaveLength(62);
  });

  it('throws when a name would be invalid or too long', () => {
    expect(() => resourceName('a'.repeat(30), 'controller', 'healthcheck', '1a2b3c4d5e')).toThrow(
      /not a valid GCE resource name/,
    );
    expect(() => resourceName('demo', 'Worker')).toThrow();
  });
});
