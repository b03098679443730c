import type { Resource } from '@hakoc/core';
import { describe, expect, it } from 'vitest';
import {
  type AutoscalerSpec,
  desiredResources,
  type EtcdMemberSpec,
  type FirewallSpec,
  HEALTH_CHECK_RANGES,
  type InstanceGroupSpec,
  type InstanceTemplateSpec,
  USER_DATA_KEY,
} from '../../src/index.js';
import { bootConfigsFor, exampleModel, inputOf } from './fixtures.js';

function ofType<Spec>(resources: readonly Resource[], type: string): Resource<Spec>[] {
  return resources.filter((r) => r.type === type) as Resource<Spec>[];
}

function rule(resources: readonly Resource[], name: string): FirewallSpec {
  const found = ofType<FirewallSpec>(resources, 'gce.firewall').find((r) => r.name === name);
  if (found === undefined) throw new Error(`no firewall ${name}`);
  return found.spec;
}

function userDataOf(template: Resource<InstanceTemplateSpec>): string | undefined {
  const items = template.spec.properties.metadata?.items ?? [];
  return items.find((item) => item.key === USER_DATA_KEY)?.value ?? undefined;
}

describe('the desired GCE graph of the example cluster', () => {
  const model = exampleModel((m) => {
    m.access.apiSourceRanges = ['203.0.113.0/24'];
    m.access.sshSourceRanges = ['198.51.100.7/32'];
  });
  const resources = desiredResources(inputOf(model));
  const { etcd, controlPlane, workers } = model.machineSets;

  it('is the same, byte for byte, every time', () => {
    expect(JSON.stringify(desiredResources(inputOf(model)))).toBe(JSON.stringify(resources));
  });

  it('opens etcd to etcd and the control plane only, and the API and SSH to the allowed ranges', () => {
    expect(rule(resources, 'demo-etcd')).toMatchObject({
      allowed: [{ IPProtocol: 'tcp', ports: ['2379-2380'] }],
      sourceRanges: [],
      sourceTags: [etcd.name, controlPlane.name],
      targetTags: [etcd.name],
    });
    expect(rule(resources, 'demo-api')).toMatchObject({
      allowed: [{ IPProtocol: 'tcp', ports: ['6443'] }],
      sourceRanges: ['203.0.113.0/24', model.network.nodeCidr, model.network.podCidr],
      targetTags: [controlPlane.name],
    });
    expect(rule(resources, 'demo-ssh')).toMatchObject({
      allowed: [{ IPProtocol: 'tcp', ports: ['22'] }],
      sourceRanges: ['198.51.100.7/32'],
    });
    expect(rule(resources, 'demo-health-checks')).toMatchObject({
      allowed: [{ IPProtocol: 'tcp', ports: ['6443', '10256'] }],
      sourceRanges: [...HEALTH_CHECK_RANGES],
      targetTags: [controlPlane.name, workers.name],
    });
    expect(rule(resources, 'demo-kubelet').allowed).toEqual([
      { IPProtocol: 'tcp', ports: ['10250'] },
    ]);
    expect(rule(resources, 'demo-flannel').allowed).toEqual([
      { IPProtocol: 'udp', ports: ['8472'] },
    ]);
    // No rule opens anything to the whole internet.
    for (const firewall of ofType<FirewallSpec>(resources, 'gce.firewall')) {
      expect(firewall.spec.sourceRanges, firewall.name).not.toContain('0.0.0.0/0');
    }
    const noSsh = desiredResources(
      inputOf(
        exampleModel((m) => {
          m.access.sshSourceRanges = [];
        }),
      ),
    );
    expect(ofType(noSsh, 'gce.firewall').map((r) => r.name)).not.toContain('demo-ssh');
  });

  it("delivers each etcd member's secrets in its own per-instance config, never in the shared template", () => {
    const boot = bootConfigsFor(model);
    const templates = ofType<InstanceTemplateSpec>(resources, 'gce.instanceTemplate');
    const etcdTemplate = templates.find((t) => t.spec.role === 'etcd');
    expect(etcdTemplate).toBeDefined();
    if (etcdTemplate === undefined) return;
    expect(userDataOf(etcdTemplate)).toBeUndefined();
    const members = ofType<EtcdMemberSpec>(resources, 'gce.etcdMember');
    expect(members.map((m) => m.name)).toEqual(etcd.machines.map((m) => m.name));
    for (const member of members) {
      expect(member.spec.userData).toBe(boot.etcd[member.name]);
      expect(member.secretFields).toEqual(['userData']);
      expect(member.spec.template).toBe(etcdTemplate.name);
      expect(member.spec.disk).toBe(`${member.name}-data`);
    }
    // Control plane and workers share one config per role, through their template.
    for (const role of ['controller', 'worker'] as const) {
      const template = templates.find((t) => t.spec.role === role);
      expect(template?.secretFields).toEqual(['properties']);
      expect(template && userDataOf(template)).toBe(
        role === 'controller' ? boot.controlPlane : boot.workers,
      );
    }
  });

  it('keeps each etcd member in its zone, with a fixed IP and a data disk in that zone', () => {
    const members = ofType<EtcdMemberSpec>(resources, 'gce.etcdMember');
    const disks = ofType<{ zone: string }>(resources, 'gce.disk');
    expect(new Set(members.map((m) => m.spec.zone)).size).toBe(members.length);
    expect(new Set(members.map((m) => m.spec.ip)).size).toBe(members.length);
    for (const member of members) {
      expect(disks.find((d) => d.name === member.spec.disk)?.spec.zone).toBe(member.spec.zone);
      expect(member.references).toContainEqual({ type: 'gce.disk', name: member.spec.disk });
    }
  });

  it('autoscales the workers within the spec bounds, rolling with surge and nothing unavailable', () => {
    const [autoscaler] = ofType<AutoscalerSpec>(resources, 'gce.autoscaler');
    expect(autoscaler?.spec).toMatchObject({
      target: workers.name,
      minNumReplicas: workers.autoscaling?.min,
      maxNumReplicas: workers.autoscaling?.max,
      cpuUtilizationTarget: workers.autoscaling?.cpuTarget,
    });
    const groups = ofType<InstanceGroupSpec>(resources, 'gce.instanceGroup');
    const workerGroup = groups.find((g) => g.name === workers.name);
    expect(workerGroup?.spec).toMatchObject({
      fixedSize: null,
      maxSurge: workers.zones.length,
      maxUnavailable: 0,
      healthCheck: 'demo-worker-healthz',
    });
    expect(groups.find((g) => g.name === controlPlane.name)?.spec).toMatchObject({
      fixedSize: controlPlane.count,
      healthCheck: 'demo-controller-readyz',
    });
  });

  it('declares every reference as a dependency too', () => {
    for (const resource of resources) {
      const depends = new Set((resource.dependsOn ?? []).map((r) => `${r.type}/${r.name}`));
      for (const ref of resource.references ?? []) {
        expect(depends, `${resource.type}/${resource.name}`).toContain(`${ref.type}/${ref.name}`);
      }
    }
  });
});
