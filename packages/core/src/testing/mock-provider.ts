import {
  type ActualResource,
  type Change,
  changedFields,
  type LockStore,
  noChange,
  type Owner,
  type Provider,
  type ReplaceStrategy,
  type Resource,
  type ResourceType,
  replaceFields,
  resourceId,
  updateFields,
} from '../engine/index.js';
import {
  type MockCallInfo,
  MockCloud,
  type MockFaultSchedule,
  type MockObject,
  type MockSpec,
} from './mock-cloud.js';

/** One resource type of the mock provider. */
export interface MockTypeOptions {
  /** The type name, for example `mock.network`. */
  readonly type: string;
  /** Spec fields whose change forces a replacement. @default [] */
  readonly forceNew?: readonly string[];
  /** Whether other fields change in place; if false every change is a replacement. @default true */
  readonly updatable?: boolean;
  /** How replacements run. @default 'destroy-before-create' */
  readonly replaceStrategy?: ReplaceStrategy;
  /** Latency of every call on this type, in milliseconds; overrides the provider's. */
  readonly latencyMs?: number;
}

/** What {@link createMockProvider} makes a provider from. */
export interface MockProviderOptions {
  /** The provider name. @default 'mock' */
  readonly name?: string;
  /** The resource types, in dependency order. */
  readonly types: readonly MockTypeOptions[];
  /** Latency of each call in milliseconds. @default 0 */
  readonly latencyMs?: number | ((call: MockCallInfo) => number);
  /** Answer `rate-limited` (retryable) to calls beyond `calls` per `windowMs`. */
  readonly rateLimit?: { readonly calls: number; readonly windowMs: number };
  /** Injected failures and crashes. */
  readonly faults?: MockFaultSchedule;
  /** Called when an injected crash happens: abort the apply that "crashed" there. */
  readonly onCrash?: () => void;
}

/** The input of the mock provider: the desired graph itself. */
export interface MockInput {
  /** The resources that should exist. */
  readonly resources: readonly Resource<MockSpec>[];
}

/** The outputs of the mock provider. */
export interface MockOutputs {
  /** The cloud id of every object, by `type/name`. */
  readonly ids: Readonly<Record<string, string>>;
}

/** A provider over an in-memory {@link MockCloud}, for tests of the engine and of tools. */
export interface MockProvider extends Provider<MockInput, MockOutputs> {
  /** The cloud behind it, to inspect and to tamper with. */
  readonly cloud: MockCloud;
}

/** The type name of the mock's lock objects. */
export const MOCK_LOCK_TYPE = 'mock.lock';

/**
 * A provider whose cloud lives in memory: per-call latency, rate limits, injected failures and
 * crash points, and a log of every call. It honours request ids (a retried create returns what
 * the first one made) and lists by labels, like a real cloud.
 */
export function createMockProvider(options: MockProviderOptions): MockProvider {
  const name = options.name ?? 'mock';
  const typeLatency = new Map(
    options.types.flatMap((t) =>
      t.latencyMs === undefined ? [] : [[t.type, t.latencyMs] as const],
    ),
  );
  const baseLatency = options.latencyMs ?? 0;
  const cloud = new MockCloud({
    provider: name,
    latencyMs: (call) =>
      typeLatency.get(call.type) ??
      (typeof baseLatency === 'number' ? baseLatency : baseLatency(call)),
    ...(options.rateLimit === undefined ? {} : { rateLimit: options.rateLimit }),
    ...(options.faults === undefined ? {} : { faults: options.faults }),
    ...(options.onCrash === undefined ? {} : { onCrash: options.onCrash }),
  });
  return {
    name,
    cloud,
    types: options.types.map((t) => mockType(cloud, t)),
    lock: mockLock(cloud),
    desired: (input) => input.resources,
    outputs: (actual: readonly ActualResource[]) => ({
      ids: Object.fromEntries(
        actual.map((a) => [resourceId({ type: a.type, name: a.state.name }), a.state.id]),
      ),
    }),
  };
}

function mockType(cloud: MockCloud, options: MockTypeOptions): ResourceType<MockSpec, MockObject> {
  const { type } = options;
  const forceNew = new Set(options.forceNew ?? []);
  const sharedNames = options.replaceStrategy === 'create-before-destroy';
  return {
    type,
    ...(options.replaceStrategy === undefined ? {} : { replaceStrategy: options.replaceStrategy }),
    list: (ctx, owner) => cloud.list({ operation: 'list', type, signal: ctx.signal }, owner),
    create: (ctx, resource) =>
      cloud.create(
        {
          operation: 'create',
          type,
          name: resource.name,
          requestId: ctx.requestId,
          signal: ctx.signal,
        },
        {
          labels: ctx.owner.labels,
          spec: resource.spec,
          ...referencesOf(cloud, ctx.owner, resource),
        },
        sharedNames,
      ),
    ...(options.updatable === false
      ? {}
      : {
          update: (ctx, current, resource) =>
            cloud.update(
              {
                operation: 'update',
                type,
                name: resource.name,
                requestId: ctx.requestId,
                signal: ctx.signal,
              },
              current.id,
              resource.spec,
              referencesOf(cloud, ctx.owner, resource).references,
            ),
        }),
    delete: (ctx, current) =>
      cloud.delete(
        {
          operation: 'delete',
          type,
          name: current.name,
          requestId: ctx.requestId,
          signal: ctx.signal,
        },
        current.id,
      ),
    diff: (resource, current): Change => {
      const fields = changedFields(resource.spec, current.spec);
      if (fields.length === 0) return noChange();
      const forcing = fields.filter((field) => forceNew.has(field));
      if (forcing.length > 0) {
        return replaceFields(fields, `${forcing.join(', ')} cannot change in place`);
      }
      if (options.updatable === false)
        return replaceFields(fields, `${type} cannot change in place`);
      return updateFields(fields);
    },
  };
}

// The ids of the owned objects `resource` refers to, as the cloud would resolve its references.
function referencesOf(
  cloud: MockCloud,
  owner: Owner,
  resource: Resource<MockSpec>,
): { readonly references?: readonly string[] } {
  const refs = resource.references ?? [];
  if (refs.length === 0) return {};
  const ids = cloud
    .owned(owner)
    .filter((o) => refs.some((ref) => ref.type === o.type && ref.name === o.name))
    .map((o) => o.id);
  return { references: ids };
}

function mockLock(cloud: MockCloud): LockStore {
  const type = MOCK_LOCK_TYPE;
  return {
    read: (ctx) =>
      cloud.readLock({ operation: 'lock.read', type, signal: ctx.signal }, ctx.owner.cluster),
    create: (ctx, lock) =>
      cloud.createLock(
        { operation: 'lock.create', type, signal: ctx.signal },
        ctx.owner.cluster,
        lock,
      ),
    update: (ctx, lock) =>
      cloud.updateLock(
        { operation: 'lock.update', type, signal: ctx.signal },
        ctx.owner.cluster,
        lock,
      ),
    delete: (ctx, lock) =>
      cloud.deleteLock(
        { operation: 'lock.delete', type, signal: ctx.signal },
        ctx.owner.cluster,
        lock,
      ),
  };
}
