import { CLUSTER_API_VERSION } from '@hakoc/core';
import type { InitProvider } from './init-providers.js';

/**
 * What `hakoc init` starts from for one provider: the values a spec cannot do without (the
 * user replaces them) and, for fields written commented out, the line to write. Every other
 * field is written with its default from the schema.
 */
export interface StarterSpec {
  /** Required values and the chosen branch of each either-or (passphrase source, worker sizing). */
  readonly values: Record<string, unknown>;
  /**
   * Fields written as a commented-out line, by dotted path: optional fields without a default,
   * the branches not chosen, and defaults that do not go with the chosen branch.
   */
  readonly commentedOut: Readonly<Record<string, string>>;
}

const shared: Readonly<Record<string, string>> = {
  'spec.image.name': 'name: my-flatcar-kubernetes  # a pre-built image',
  'spec.image.sysextBaseUrl':
    'sysextBaseUrl: https://github.com/flatcar/sysext-bakery/releases/download',
  'spec.keyStore.passphrase.file': 'file: secrets/passphrase  # instead of env',
  'spec.keyStore.passphrase.prompt': 'prompt: true  # instead of env: ask on the terminal',
};

/** The starting point of a spec for `provider`, for a cluster called `name`. */
export function starterSpec(provider: InitProvider, name: string): StarterSpec {
  const common = {
    apiVersion: CLUSTER_API_VERSION,
    kind: 'Cluster',
    metadata: { name },
  };
  const commentedOut = {
    ...shared,
    'spec.keyStore.dir': `dir: .hakoc/${name}/pki`,
  };
  if (provider === 'gce') {
    return {
      values: {
        ...common,
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
          workers: { min: 2, max: 10 },
        },
      },
      commentedOut: {
        ...commentedOut,
        'spec.provider.gce.credentialsFile': 'credentialsFile: secrets/gce-key.json',
        'spec.provider.vagrant': 'vagrant: {}  # instead of gce: hakoc init --provider vagrant',
        'spec.workers.count': 'count: 3  # instead of min and max: a fixed number',
      },
    };
  }
  return {
    values: {
      ...common,
      spec: { domain: 'k8s.example.com', provider: { vagrant: {} }, workers: { count: 2 } },
    },
    commentedOut: {
      ...commentedOut,
      'spec.provider.gce':
        'gce: { project: my-project, region: europe-west1, zones: [europe-west1-b], dnsZone: example-com }',
      'spec.workers.min': 'min: 1  # instead of count, with max: autoscale',
      'spec.workers.max': 'max: 3',
      'spec.workers.cpuTarget': 'cpuTarget: 0.6',
    },
  };
}
