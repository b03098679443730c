import { createOwner, type EngineEvent, type Resource } from '../../src/engine/index.js';
import {
  createMockProvider,
  type MockFaultSchedule,
  type MockInput,
  type MockProvider,
  type MockProviderOptions,
  type MockSpec,
  type MockTypeOptions,
} from '../../src/testing/index.js';

/** The cluster every engine test works on. */
export const owner = createOwner('demo');

/** Retries fast enough for tests, still with jitter and bounds. */
export const fastRetry = { retries: 4, minDelayMs: 1, maxDelayMs: 4, maxRetryTimeMs: 2_000 };

/** Resource types shaped like a GCE cluster's, in dependency order. */
export const clusterTypes: readonly MockTypeOptions[] = [
  { type: 'mock.network', forceNew: ['cidr'] },
  { type: 'mock.subnet', forceNew: ['cidr', 'region'] },
  { type: 'mock.firewall' },
  { type: 'mock.instance', forceNew: ['zone'] },
  { type: 'mock.template', updatable: false, replaceStrategy: 'create-before-destroy' },
  { type: 'mock.group' },
  { type: 'mock.address' },
  { type: 'mock.forwarding' },
];

function res(
  type: string,
  name: string,
  spec: MockSpec,
  dependsOn: readonly Resource[] = [],
  secretFields?: readonly string[],
): Resource<MockSpec> {
  return { type: `mock.${type}`, name, spec, dependsOn, ...(secretFields ? { secretFields } : {}) };
}

/** Knobs that change the desired cluster graph. */
export interface GraphVariant {
  /** Content of the control-plane template (changing it makes a new, hash-named template). */
  readonly image?: string;
  /** Worker group size (an in-place update). */
  readonly workers?: number;
  /** etcd members. */
  readonly etcd?: number;
  /** The bootstrap token, a secret field. */
  readonly token?: string;
  /** The zone of etcd-0 (forces a replacement). */
  readonly etcdZone?: string;
  /** The network's range (forces a replacement of the network, which the subnet refers to). */
  readonly networkCidr?: string;
}

/** A 13-resource HA cluster graph: network, subnet, firewalls, etcd, templates, groups, LB. */
export function clusterGraph(variant: GraphVariant = {}): MockInput {
  const network = res('network', 'net', { cidr: variant.networkCidr ?? '10.0.0.0/16' });
  const subnet = {
    ...res('subnet', 'nodes', { cidr: '10.0.0.0/20', region: 'europe-west1' }, [network]),
    references: [network],
  };
  const internal = res('firewall', 'internal', { ports: ['all'] }, [network]);
  const api = res('firewall', 'api', { ports: ['6443'] }, [network]);
  const etcd = Array.from({ length: variant.etcd ?? 3 }, (_, i) =>
    res(
      'instance',
      `etcd-${i}`,
      { zone: i === 0 ? (variant.etcdZone ?? 'b') : ('bcd'[i % 3] ?? 'b') },
      [subnet, internal],
    ),
  );
  const image = variant.image ?? 'flatcar-1';
  const cpTemplate = res(
    'template',
    `cp-${image}`,
    { image, token: variant.token ?? 'abcdef.0123456789abcdef' },
    [subnet],
    ['token'],
  );
  const workerTemplate = res('template', `worker-${image}`, { image }, [subnet]);
  const cpGroup = res('group', 'cp', { template: cpTemplate.name, size: 3 }, [cpTemplate, ...etcd]);
  const workerGroup = res(
    'group',
    'workers',
    { template: workerTemplate.name, size: variant.workers ?? 2 },
    [workerTemplate, cpGroup],
  );
  const address = res('address', 'api', { region: 'europe-west1' });
  const forwarding = res('forwarding', 'api', { port: 6443 }, [address, cpGroup, api]);
  return {
    resources: [
      network,
      subnet,
      internal,
      api,
      ...etcd,
      cpTemplate,
      workerTemplate,
      cpGroup,
      workerGroup,
      address,
      forwarding,
    ],
  };
}

/** A mock provider over the cluster types. */
export function clusterProvider(options: Partial<MockProviderOptions> = {}): MockProvider {
  return createMockProvider({ types: clusterTypes, ...options });
}

/** Collects events of the types asked for. */
export function recorder(): {
  readonly events: EngineEvent[];
  readonly onEvent: (e: EngineEvent) => void;
} {
  const events: EngineEvent[] = [];
  return { events, onEvent: (event) => events.push(event) };
}

/** A fault schedule that fails the next `count` mutating calls. */
export function failNext(
  count: number,
  fault: Parameters<MockFaultSchedule>[0] extends never
    ? never
    : Exclude<ReturnType<MockFaultSchedule>, undefined>,
): MockFaultSchedule {
  let left = count;
  return (call) => {
    if (left <= 0 || !['create', 'update', 'delete'].includes(call.operation)) return undefined;
    left -= 1;
    return fault;
  };
}

/** Resolves to what `promise` rejected with, failing if it resolved. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );
}
