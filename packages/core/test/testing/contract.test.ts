import { isDeepStrictEqual } from 'node:util';
import { createOwner } from '../../src/engine/index.js';
import { providerContractTests } from '../../src/testing/contract.js';
import { createMockProvider, type MockInput } from '../../src/testing/index.js';
import { clusterGraph, clusterTypes, failNext, fastRetry } from '../engine/fixtures.js';

providerContractTests<MockInput>({
  name: 'mock',
  declaresReferences: true,
  setup: () => {
    const provider = createMockProvider({ types: clusterTypes });
    const initial = clusterGraph();
    return {
      provider,
      owner: createOwner('contract'),
      initial,
      inPlaceChange: clusterGraph({ workers: 5 }),
      expectedUpdates: ['mock.group/workers'],
      replacingChange: clusterGraph({ etcdZone: 'c' }),
      expectedReplaces: ['mock.instance/etcd-0'],
      reduced: clusterGraph({ etcd: 1 }),
      referencedReplace: {
        input: clusterGraph({ networkCidr: '10.1.0.0/16' }),
        replaced: 'mock.network/net',
      },
      createUnowned: async () => {
        const other = provider.cloud.seed({
          type: 'mock.network',
          name: 'other-net',
          labels: { 'hakoc-cluster': 'someone-else', 'hakoc-managed': 'true' },
          spec: { cidr: '10.9.0.0/16' },
        });
        return async () => isDeepStrictEqual(provider.cloud.get(other.id), other);
      },
      failNext: (count, retryable) =>
        provider.cloud.setFaults(
          failNext(count, { kind: 'error', reason: retryable ? 'unavailable' : 'invalid' }),
        ),
      options: { retry: fastRetry },
    };
  },
});
