import { type Resource, resourceId } from '@hakoc/core';
import { describe, expect, it } from 'vitest';
import { desiredResources, type InstanceTemplateSpec } from '../../src/index.js';
import { exampleModel, inputOf } from './fixtures.js';

describe('the order a roll of the example cluster takes', () => {
  const model = exampleModel((m) => {
    m.kubernetes.version = '1.36.4';
  });
  const resources = desiredResources(inputOf(model));
  const byId = new Map(resources.map((r) => [resourceId(r), r]));
  const members = resources.filter((r) => r.type === 'gce.etcdMember');
  const controllers = byId.get(`gce.instanceGroup/${model.machineSets.controlPlane.name}`);
  const workers = byId.get(`gce.instanceGroup/${model.machineSets.workers.name}`);

  it('puts every etcd member in one serial group, and nothing else', () => {
    expect(members).toHaveLength(3);
    expect(new Set(members.map((m) => m.serialGroup))).toEqual(new Set(['etcd']));
    expect(resources.filter((r) => r.serialGroup !== undefined)).toHaveLength(members.length);
  });

  it('rolls the control plane after every member, and the workers after the control plane', () => {
    const after = (resource: Resource | undefined) => (resource?.dependsOn ?? []).map(resourceId);
    expect(after(controllers)).toEqual(expect.arrayContaining(members.map(resourceId)));
    expect(after(workers)).toContain(resourceId(controllers ?? { type: '', name: '' }));
    // Order only: neither group refers to the members or to each other in GCE.
    expect((controllers?.references ?? []).map(resourceId)).not.toContain(
      resourceId(members[0] ?? { type: '', name: '' }),
    );
    expect((workers?.references ?? []).map((r) => r.type)).not.toContain('gce.instanceGroup');
  });

  it('labels Kubernetes machines with their release, and etcd machines with none', () => {
    const templates = resources.filter(
      (r): r is Resource<InstanceTemplateSpec> => r.type === 'gce.instanceTemplate',
    );
    const label = (role: string) =>
      templates.find((t) => t.spec.role === role)?.spec.properties.labels?.[
        'hakoc-kubernetes-version'
      ];
    expect(label('controller')).toBe('1-36-4');
    expect(label('worker')).toBe('1-36-4');
    expect(label('etcd')).toBeUndefined();
    // A patch release makes new control-plane and worker templates and keeps the etcd one.
    const patched = desiredResources(
      inputOf(
        exampleModel((m) => {
          m.kubernetes.version = '1.36.1';
        }),
      ),
    );
    const names = (list: readonly Resource[]) =>
      new Set(list.filter((r) => r.type === 'gce.instanceTemplate').map((r) => r.name));
    const before = names(resources);
    const now = [...names(patched)];
    expect(now.filter((name) => before.has(name))).toEqual([
      templates.find((t) => t.spec.role === 'etcd')?.name,
    ]);
  });
});
