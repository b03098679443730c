import {
  buildClusterModel,
  type ClusterSpecInput,
  type MachineSet,
  parseClusterSpec,
} from '@hakoc/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isIpv4Range, parseIpv4Cidr, rangesOverlap } from '../../src/spec/cidr.js';

const runs = { seed: 20261127, numRuns: 300 };

const dnsLabel = fc.stringMatching(/^[a-z0-9]([-a-z0-9]{0,10}[a-z0-9])?$/);
const region = fc.constantFrom(
  'europe-west1',
  'us-central1',
  'asia-northeast2',
  'northamerica-northeast1',
);

const gceProvider = fc
  .record({
    region,
    letters: fc.uniqueArray(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'), {
      minLength: 1,
      maxLength: 4,
    }),
    internalLoadBalancer: fc.boolean(),
  })
  .map(({ region, letters, internalLoadBalancer }) => ({
    gce: {
      project: 'my-project',
      region,
      zones: letters.map((letter) => `${region}-${letter}`),
      dnsZone: 'example-com',
      internalLoadBalancer,
    },
  }));

// Inside VirtualBox's allowed 192.168.56.0/21, aligned, wide enough for the largest cluster.
const vagrantProvider = fc
  .record({
    third: fc.integer({ min: 56, max: 63 }),
    hypervisor: fc.constantFrom('virtualbox', 'libvirt'),
  })
  .map(({ third, hypervisor }) => ({
    vagrant: {
      network: `192.168.${third}.0/24`,
      hypervisor: hypervisor as 'virtualbox' | 'libvirt',
    },
  }));

const workers = fc.oneof(
  fc.record({ count: fc.integer({ min: 1, max: 40 }) }),
  fc
    .record({
      min: fc.integer({ min: 0, max: 10 }),
      extra: fc.integer({ min: 0, max: 40 }),
      cpuTarget: fc.double({ min: 0.1, max: 1, noNaN: true }),
    })
    .map(({ min, extra, cpuTarget }) => ({ min, max: Math.max(1, min + extra), cpuTarget })),
);

// Ranges that never overlap by construction: pods in 10.0-10.199, services in 172.16/12, nodes 10.240/12.
const network = fc.record({
  nodeCidr: fc.integer({ min: 16, max: 24 }).map((prefix) => `10.240.0.0/${prefix}`),
  podCidr: fc
    .record({ block: fc.integer({ min: 0, max: 49 }), prefix: fc.integer({ min: 14, max: 16 }) })
    .map(({ block, prefix }) => `10.${block * 4}.0.0/${prefix}`),
  serviceCidr: fc
    .record({ second: fc.integer({ min: 16, max: 31 }), prefix: fc.integer({ min: 16, max: 24 }) })
    .map(({ second, prefix }) => `172.${second}.0.0/${prefix}`),
});

/** Valid cluster specs, as users would write them. */
const validSpec: fc.Arbitrary<ClusterSpecInput> = fc
  .record({
    name: fc.stringMatching(/^[a-z]([-a-z0-9]{0,28}[a-z0-9])?$/),
    domain: fc.array(dnsLabel, { minLength: 2, maxLength: 4 }).map((labels) => labels.join('.')),
    provider: fc.oneof(gceProvider, vagrantProvider),
    etcdCount: fc.constantFrom(1, 3, 5, 7, 9),
    controllers: fc.integer({ min: 1, max: 5 }),
    workers,
    network,
  })
  .map((spec) => ({
    apiVersion: 'hakoc.dev/v1alpha1',
    kind: 'Cluster',
    metadata: { name: spec.name },
    spec: {
      domain: spec.domain,
      provider: spec.provider,
      etcd: { count: spec.etcdCount },
      controlPlane: { count: spec.controllers },
      workers: spec.workers,
      network: spec.network,
    },
  }));

function build(input: ClusterSpecInput) {
  const result = parseClusterSpec(input);
  if (!result.ok) throw new Error(JSON.stringify(result.diagnostics, null, 2));
  return buildClusterModel(result.spec);
}

const sets = (model: ReturnType<typeof build>): MachineSet[] => Object.values(model.machineSets);
const GCE_NAME = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

describe('buildClusterModel on any valid spec', () => {
  it('accepts every generated spec with at most warnings', () => {
    fc.assert(
      fc.property(validSpec, (input) => {
        const result = parseClusterSpec(input);
        expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      }),
      runs,
    );
  });

  it('gives unique, valid names of at most 63 characters', () => {
    fc.assert(
      fc.property(validSpec, (input) => {
        const model = build(input);
        const names = sets(model).flatMap((set) => [set.name, ...set.machines.map((m) => m.name)]);
        expect(new Set(names).size).toBe(names.length);
        for (const name of names) {
          expect(name).toMatch(GCE_NAME);
          expect(name.length).toBeLessThanOrEqual(63);
        }
      }),
      runs,
    );
  });

  it('keeps ranges apart and Vagrant addresses unique, inside the network', () => {
    fc.assert(
      fc.property(validSpec, (input) => {
        const model = build(input);
        const cidrs = [model.network.nodeCidr, model.network.podCidr, model.network.serviceCidr];
        if (model.network.privateNetwork !== undefined)
          cidrs.push(model.network.privateNetwork.cidr);
        const ranges = cidrs.map(parseIpv4Cidr).filter(isIpv4Range);
        expect(ranges).toHaveLength(cidrs.length);
        ranges.forEach((a, i) => {
          for (const b of ranges.slice(i + 1)) expect(rangesOverlap(a, b)).toBe(false);
        });
        const privateNetwork = model.network.privateNetwork;
        if (privateNetwork === undefined) return;
        const ips = sets(model).flatMap((set) => set.machines.map((m) => m.ip ?? 'missing'));
        const all = [privateNetwork.hostIp, privateNetwork.loadBalancerIp, ...ips];
        expect(new Set(all).size).toBe(all.length);
        const network = parseIpv4Cidr(privateNetwork.cidr);
        if (!isIpv4Range(network)) throw new Error(`bad network ${privateNetwork.cidr}`);
        for (const ip of all) {
          // Strictly inside: neither the network address nor the broadcast address.
          const host = parseIpv4Cidr(`${ip}/32`);
          expect(isIpv4Range(host) && host.start > network.start && host.end < network.end).toBe(
            true,
          );
        }
      }),
      runs,
    );
  });

  it('puts etcd members in distinct zones when there are enough zones', () => {
    fc.assert(
      fc.property(validSpec, (input) => {
        const model = build(input);
        if (model.provider.name !== 'gce') return;
        const zones = model.machineSets.etcd.machines.map((m) => m.zone);
        expect(
          zones.every(
            (zone) =>
              zone !== undefined &&
              model.provider.name === 'gce' &&
              model.provider.zones.includes(zone),
          ),
        ).toBe(true);
        const distinct = new Set(zones).size;
        expect(distinct).toBe(Math.min(zones.length, model.provider.zones.length));
      }),
      runs,
    );
  });

  it('keeps counts, endpoints and service IPs consistent with the spec', () => {
    fc.assert(
      fc.property(validSpec, (input) => {
        const model = build(input);
        const { etcd } = model.machineSets;
        expect(etcd.machines).toHaveLength(etcd.count);
        expect(model.endpoints.etcd.initialCluster.split(',')).toHaveLength(etcd.count);
        expect(model.endpoints.api).toBe(`api.${model.domain}`);
        const services = parseIpv4Cidr(model.network.serviceCidr);
        const base = model.network.serviceCidr.split('/')[0]?.split('.').slice(0, 3).join('.');
        expect(isIpv4Range(services)).toBe(true);
        expect(model.network.apiServiceIp).toBe(`${base}.1`);
        expect(model.network.clusterDnsIp).toBe(`${base}.10`);
        for (const set of sets(model)) {
          if (set.autoscaling !== undefined) {
            expect(set.autoscaling.min).toBeLessThanOrEqual(set.autoscaling.max);
            expect(model.provider.name).toBe('gce');
          }
        }
      }),
      runs,
    );
  });

  it('is deterministic: the same input gives byte-identical JSON', () => {
    fc.assert(
      fc.property(validSpec, (input) => {
        const first = JSON.stringify(build(input));
        expect(JSON.stringify(build(structuredClone(input)))).toBe(first);
      }),
      runs,
    );
  });

  it("on Vagrant, changing one role's count moves no other machine, nor its own kept ones", () => {
    const vagrantSpec = fc
      .tuple(validSpec, vagrantProvider)
      .map(([input, provider]) => ({ ...input, spec: { ...input.spec, provider } }));
    const rescale = fc.oneof(
      fc.record({ role: fc.constant('etcd' as const), count: fc.constantFrom(1, 3, 5, 7, 9) }),
      fc.record({
        role: fc.constant('controlPlane' as const),
        count: fc.integer({ min: 1, max: 5 }),
      }),
      fc.record({ role: fc.constant('workers' as const), count: fc.integer({ min: 1, max: 40 }) }),
    );
    const addresses = (set: MachineSet) => new Map(set.machines.map((m) => [m.name, m.ip]));
    fc.assert(
      fc.property(vagrantSpec, rescale, (input, { role, count }) => {
        const before = build(input);
        const after = build({
          ...input,
          spec: { ...input.spec, [role]: { count } },
        });
        for (const other of ['etcd', 'controlPlane', 'workers'] as const) {
          const was = addresses(before.machineSets[other]);
          const now = addresses(after.machineSets[other]);
          if (other !== role) {
            expect(now).toEqual(was);
            continue;
          }
          for (const [name, ip] of now) if (was.has(name)) expect(ip).toBe(was.get(name));
        }
        expect(after.network.privateNetwork).toEqual(before.network.privateNetwork);
      }),
      runs,
    );
  });
});
