import { desiredResources, type VagrantProjectSpec } from '@hakoc/provider-vagrant';
import { describe, expect, it } from 'vitest';
import { exampleModel, inputFor } from './support/stand-in-project.js';

// The desired graph carries the roll order: serial groups and order edges between machines.
describe('the roll order in the desired graph', () => {
  const orderOf = async (etcdPlacement: 'dedicated' | 'controllers') => {
    const model = await exampleModel({ etcd: 3, controllers: 4, workers: 2 });
    const { resources } = await desiredResources(inputFor(model), { layout: { etcdPlacement } });
    const machines = Object.fromEntries(
      resources
        .filter((resource) => resource.type === 'vagrant.machine')
        .map((resource) => [
          resource.name,
          {
            group: resource.serialGroup,
            after: (resource.dependsOn ?? [])
              .filter((ref) => ref.type === 'vagrant.machine')
              .map((ref) => ref.name),
          },
        ]),
    );
    const project = resources.find((resource) => resource.type === 'vagrant.project');
    if (project === undefined) throw new Error('no project resource');
    return { machines, members: (project.spec as VagrantProjectSpec).etcdMembers };
  };

  it('dedicated members: etcd VMs one at a time, then controllers one at a time, then workers', async () => {
    const { machines, members } = await orderOf('dedicated');
    expect(members).toEqual(['demo-etcd-0', 'demo-etcd-1', 'demo-etcd-2']);
    const etcd = ['demo-etcd-0', 'demo-etcd-1', 'demo-etcd-2'];
    const controllers = [0, 1, 2, 3].map((index) => `demo-controller-${index}`);
    for (const name of etcd) expect(machines[name]).toEqual({ group: 'etcd', after: [] });
    for (const name of controllers)
      expect(machines[name]).toEqual({ group: 'controlPlane', after: etcd });
    for (const name of ['demo-worker-0', 'demo-worker-1'])
      expect(machines[name]).toEqual({ group: undefined, after: controllers });
    expect(machines['demo-lb']).toEqual({ group: undefined, after: [] });
  });

  it('co-located members: the controllers hosting them roll as etcd, the other controller after them', async () => {
    const { machines, members } = await orderOf('controllers');
    // The members keep their own names, on the controllers that host them.
    expect(members).toEqual(['demo-etcd-0', 'demo-etcd-1', 'demo-etcd-2']);
    const hosts = ['demo-controller-0', 'demo-controller-1', 'demo-controller-2'];
    for (const name of hosts) expect(machines[name]).toEqual({ group: 'etcd', after: [] });
    expect(machines['demo-controller-3']).toEqual({ group: 'controlPlane', after: hosts });
    expect(machines['demo-worker-0']?.after).toEqual([...hosts, 'demo-controller-3']);
  });
});
