import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildClusterModel, loadClusterSpec, parseCloudConfig } from '@hakoc/core';
import {
  desiredResources,
  layoutFromModel,
  mergeCloudConfigs,
  userDataFromRendered,
} from '@hakoc/provider-vagrant';
import { describe, expect, it } from 'vitest';
import { exampleModel, inputFor, testUserData, userDataIn } from './support/stand-in-project.js';

describe('layoutFromModel', () => {
  it('lays out examples/vagrant.yaml: the load balancer at .2, every machine at its model address', async () => {
    const layout = layoutFromModel(await exampleModel());
    expect(layout).toMatchObject({
      clusterName: 'demo',
      box: 'flatcar-stable',
      hypervisor: 'virtualbox',
      network: '192.168.56.0/24',
    });
    expect(
      layout.machines.map(({ name, role, ip, memoryMb, cpus }) => [name, role, ip, memoryMb, cpus]),
    ).toEqual([
      ['demo-lb', 'loadBalancer', '192.168.56.2', 512, 1],
      ['demo-etcd-0', 'etcd', '192.168.56.10', 1024, 1],
      ['demo-etcd-1', 'etcd', '192.168.56.11', 1024, 1],
      ['demo-etcd-2', 'etcd', '192.168.56.12', 1024, 1],
      ['demo-controller-0', 'controlPlane', '192.168.56.20', 2048, 2],
      ['demo-controller-1', 'controlPlane', '192.168.56.21', 2048, 2],
      ['demo-controller-2', 'controlPlane', '192.168.56.22', 2048, 2],
      ['demo-worker-0', 'worker', '192.168.56.100', 2048, 2],
      ['demo-worker-1', 'worker', '192.168.56.101', 2048, 2],
    ]);
    expect(
      layout.machines.every((machine) => machine.userData === `user-data-${machine.name}`),
    ).toBe(true);
    expect(layout.apiServers.map((server) => server.ip)).toEqual([
      '192.168.56.20',
      '192.168.56.21',
      '192.168.56.22',
    ]);
  });

  it("takes per-role overrides and co-locates etcd on the controllers with the members' addresses", async () => {
    const layout = layoutFromModel(await exampleModel(), {
      etcdPlacement: 'controllers',
      resources: { controlPlane: { cpus: 4 }, etcd: { memoryMb: 512 } },
    });
    expect(layout.machines.map((machine) => machine.name)).not.toContain('demo-etcd-0');
    expect(layout.machines.find((machine) => machine.name === 'demo-controller-1')).toMatchObject({
      ip: '192.168.56.21',
      extraAddresses: [{ name: 'demo-etcd-1', ip: '192.168.56.11' }],
      memoryMb: 2048 + 512,
      cpus: 4,
    });
    await expect(
      exampleModel({ etcd: 3, controllers: 1 }).then((model) =>
        layoutFromModel(model, { etcdPlacement: 'controllers' }),
      ),
    ).rejects.toMatchObject({
      code: 'HAKOC_VAGRANT_LAYOUT_INVALID',
      message: expect.stringContaining('3 etcd members cannot be co-located on 1 controllers'),
    });
  });

  it('refuses a GCE model', () => {
    const gce = buildClusterModel(
      loadClusterSpec(
        readFileSync(join(import.meta.dirname, '..', '..', '..', 'examples', 'gce.yaml'), 'utf8'),
      ),
    );
    expect(() => layoutFromModel(gce)).toThrow(/runs on gce, not on Vagrant/);
  });
});

describe('user-data', () => {
  it('merges a co-located member into its controller, keeping shared files once', async () => {
    const model = await exampleModel();
    const { resources } = await desiredResources(inputFor(model), {
      layout: { etcdPlacement: 'controllers' },
    });
    const merged = parseCloudConfig(userDataIn(resources, 'demo-controller-0'));
    expect(merged.files.map((file) => file.path)).toEqual([
      '/etc/hakoc/cluster',
      '/etc/hakoc/demo-controller-0',
      '/etc/hakoc/demo-etcd-0',
    ]);
    expect(merged.units.map((unit) => unit.name)).toEqual([
      'hakoc-controlplane.service',
      'hakoc-etcd.service',
    ]);
  });

  it('refuses two configs that write one path differently, and a missing machine', async () => {
    const model = await exampleModel();
    const userData = testUserData(model);
    const other = testUserData(await exampleModel({ name: 'other' }));
    expect(() =>
      mergeCloudConfigs([
        { name: 'demo-controller-0', cloudConfig: userData['demo-controller-0'] ?? '' },
        { name: 'other-etcd-0', cloudConfig: other['other-etcd-0'] ?? '' },
      ]),
    ).toThrow(
      /demo-controller-0 and other-etcd-0 both write the file \/etc\/hakoc\/cluster, differently/,
    );
    const { 'demo-worker-1': _dropped, ...missing } = userData;
    await expect(desiredResources({ model, userData: missing })).rejects.toMatchObject({
      code: 'HAKOC_VAGRANT_USER_DATA_MISSING',
      message: 'No cloud-config for "demo-worker-1"',
    });
  });

  it('reads the render pipeline output: each machine gets the cloud-config of its set', () => {
    const rendered = {
      manifest: {
        configs: [
          { cloudConfig: 'configs/demo-etcd-0.cloud-config', machines: ['demo-etcd-0'] },
          {
            cloudConfig: 'configs/demo-worker.cloud-config',
            machines: ['demo-worker-0', 'demo-worker-1'],
          },
          { machines: ['gce-only'] },
        ],
      },
      files: new Map([
        ['configs/demo-etcd-0.cloud-config', '#cloud-config\na: 1\n'],
        ['configs/demo-worker.cloud-config', '#cloud-config\nb: 2\n'],
      ]),
    };
    expect(userDataFromRendered(rendered)).toEqual({
      'demo-etcd-0': '#cloud-config\na: 1\n',
      'demo-worker-0': '#cloud-config\nb: 2\n',
      'demo-worker-1': '#cloud-config\nb: 2\n',
    });
  });
});
