import { readFileSync } from 'node:fs';
import type { ClusterSpecInput } from '@hakoc/core';

/** The text of `examples/<name>.yaml`. */
export function exampleText(name: 'gce' | 'vagrant'): string {
  return readFileSync(new URL(`../../../../examples/${name}.yaml`, import.meta.url), 'utf8');
}

/** A valid GCE spec object, the same cluster as `examples/gce.yaml`. */
export function gceInput(): ClusterSpecInput {
  return {
    apiVersion: 'hakoc.dev/v1alpha1',
    kind: 'Cluster',
    metadata: { name: 'demo' },
    spec: {
      domain: 'k8s.example.com',
      provider: {
        gce: {
          project: 'my-project',
          region: 'europe-west1',
          zones: ['europe-west1-b', 'europe-west1-c', 'europe-west1-d'],
          dnsZone: 'example-com',
        },
      },
      etcd: { count: 3, machineType: 'e2-small' },
      controlPlane: { count: 3, machineType: 'e2-standard-2' },
      workers: { min: 2, max: 10, machineType: 'e2-standard-4' },
      network: { nodeCidr: '10.240.0.0/20', podCidr: '10.2.0.0/16', serviceCidr: '10.3.0.0/16' },
    },
  };
}

/** A valid Vagrant spec object, the same cluster as `examples/vagrant.yaml`. */
export function vagrantInput(): ClusterSpecInput {
  const input = gceInput();
  input.spec.provider = { vagrant: { network: '192.168.56.0/24' } };
  input.spec.workers = { count: 2 };
  return input;
}

/** A copy of `input` with `value` set at `path` (created along the way), or removed if undefined. */
export function withField(
  input: unknown,
  path: readonly (string | number)[],
  value: unknown,
): unknown {
  const copy: unknown = structuredClone(input);
  let node = copy as Record<string | number, unknown>;
  for (const segment of path.slice(0, -1)) {
    if (typeof node[segment] !== 'object' || node[segment] === null) node[segment] = {};
    node = node[segment] as Record<string | number, unknown>;
  }
  const last = path.at(-1);
  if (last === undefined) return value;
  if (value === undefined) delete node[last];
  else node[last] = value;
  return copy;
}
