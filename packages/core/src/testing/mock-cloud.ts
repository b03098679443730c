import { setTimeout as sleep } from 'node:timers/promises';
import {
  isOwnedBy,
  isProviderError,
  type LockRecord,
  type Owner,
  ProviderError,
  type ProviderErrorReason,
  type ProviderOperation,
} from '../engine/index.js';

/** A JSON value, the stuff mock specs are made of. */
export type JsonValue =
  | string
  | number
  | boolean
  | null
  | readonly JsonValue[]
  | { readonly [key: string]: JsonValue };

/** The spec of a mock resource: any JSON object. */
export type MockSpec = Readonly<Record<string, JsonValue>>;

/** One object in the mock cloud; also the state the mock resource types return. */
export interface MockObject {
  /** Unique, assigned by the cloud in creation order (`m-000001`, …). */
  readonly id: string;
  /** The resource type. */
  readonly type: string;
  /** The resource name. */
  readonly name: string;
  /** Its labels. */
  readonly labels: Readonly<Record<string, string>>;
  /** Its spec. */
  readonly spec: MockSpec;
  /**
   * Ids of the objects it refers to: while it exists, deleting one of them fails as `in-use`
   * (retryable), as a cloud refuses to delete a network that still has subnets. @default []
   */
  readonly references?: readonly string[];
}

/** A call the mock cloud can receive. */
export type MockOperation =
  | 'list'
  | 'create'
  | 'update'
  | 'delete'
  | 'lock.read'
  | 'lock.create'
  | 'lock.update'
  | 'lock.delete';

/** What the fault and latency hooks are told about a call. */
export interface MockCallInfo {
  /** 1 for the first call the cloud received, then counting up. */
  readonly seq: number;
  /** The call. */
  readonly operation: MockOperation;
  /** The resource type (`mock.lock` for lock calls). */
  readonly type: string;
  /** The resource name, for create, update and delete. */
  readonly name?: string;
}

/** A logged call and how it ended. */
export interface MockCall extends MockCallInfo {
  /** The request id the engine sent, for create, update and delete. */
  readonly requestId?: string;
  /** When it started, from `performance.now()`. */
  readonly startedAt: number;
  /** When it ended; undefined while in flight. */
  readonly endedAt: number | undefined;
  /** How it ended; undefined while in flight. */
  readonly outcome: 'ok' | 'error' | 'crash' | 'aborted' | undefined;
}

/**
 * A fault to inject into one call: an error (before the call takes effect, or after — the
 * effect happened but the answer is an error) or a crash of the caller's process.
 */
export type MockFault =
  | {
      readonly kind: 'error';
      readonly reason: ProviderErrorReason;
      /** @default by reason, as for {@link ProviderError} */
      readonly retryable?: boolean;
      /** @default 'before' */
      readonly when?: 'before' | 'after';
    }
  | { readonly kind: 'crash'; readonly when: 'before' | 'after' };

/** Decides, per call, whether to inject a fault. */
export type MockFaultSchedule = (call: MockCallInfo) => MockFault | undefined;

/** Thrown by every call once the mock has "crashed", until {@link MockCloud.restart}. */
export class MockCrashError extends Error {
  constructor() {
    super('Simulated crash of the process driving the cloud.');
    this.name = 'MockCrashError';
  }
}

/** What a {@link MockCloud} is made from. */
export interface MockCloudOptions {
  /** The provider name used in errors. */
  readonly provider: string;
  /** Latency of each call in milliseconds. @default 0 */
  readonly latencyMs?: number | ((call: MockCallInfo) => number);
  /** Answer `rate-limited` (retryable) to calls beyond `calls` per `windowMs`. */
  readonly rateLimit?: { readonly calls: number; readonly windowMs: number };
  /** Injected faults. */
  readonly faults?: MockFaultSchedule;
  /** Called when an injected crash happens: abort the apply that "crashed" here. */
  readonly onCrash?: () => void;
}

/** One call's details, as every {@link MockCloud} operation receives them. */
export interface MockRequest {
  /** The call. */
  readonly operation: MockOperation;
  /** The resource type. */
  readonly type: string;
  /** The resource name. */
  readonly name?: string;
  /** The request id. */
  readonly requestId?: string;
  /** The caller's signal; aborting it during the latency cancels the call. */
  readonly signal: AbortSignal;
}

/**
 * An in-memory cloud: objects with labels, a lock per cluster, a log of every call, latency,
 * rate limits, injected failures and crashes. The cloud keeps working through a crash: a call
 * in flight still takes effect, only its answer is lost. Errors of calls that changed nothing
 * are marked `noEffect`, and — as GCE does — a later call repeating such a call's request id
 * gets the same error back without being carried out.
 */
export class MockCloud {
  readonly #objects = new Map<string, MockObject>();
  readonly #locks = new Map<string, LockRecord>();
  readonly #requests = new Map<string, string>();
  readonly #failedRequests = new Map<string, ProviderError>();
  readonly #calls: MockCall[] = [];
  readonly #recent: number[] = [];
  readonly #options: MockCloudOptions;
  #faults: MockFaultSchedule | undefined;
  #nextId = 1;
  #crashed = false;

  constructor(options: MockCloudOptions) {
    this.#options = options;
    this.#faults = options.faults;
  }

  /** Every object, in creation order. */
  objects(): MockObject[] {
    return [...this.#objects.values()];
  }

  /** Every object carrying `owner`'s labels. */
  owned(owner: Owner): MockObject[] {
    return this.objects().filter((object) => isOwnedBy(object.labels, owner));
  }

  /** The lock of `cluster`, if held. */
  lockOf(cluster: string): LockRecord | undefined {
    return this.#locks.get(cluster);
  }

  /** Every call so far, in order. */
  get calls(): readonly MockCall[] {
    return this.#calls;
  }

  /** Whether an injected crash happened and {@link MockCloud.restart} was not called since. */
  get crashed(): boolean {
    return this.#crashed;
  }

  /** Brings the crashed "process" back: calls work again. */
  restart(): void {
    this.#crashed = false;
  }

  /** Replaces the fault schedule; undefined stops injecting faults. */
  setFaults(faults: MockFaultSchedule | undefined): void {
    this.#faults = faults;
  }

  /** Puts an object in place without a call: for unowned objects, drift and leftovers. */
  seed(object: Omit<MockObject, 'id'>): MockObject {
    const created = { ...object, id: this.#newId() };
    this.#objects.set(created.id, created);
    return created;
  }

  /** Removes an object without a call (someone deleted it behind our back). */
  remove(id: string): void {
    this.#objects.delete(id);
  }

  /** The object with `id`. */
  get(id: string): MockObject | undefined {
    return this.#objects.get(id);
  }

  /** Puts a lock in place without a call: one left by a process that died, or a rival's. */
  seedLock(cluster: string, lock: LockRecord): void {
    this.#locks.set(cluster, lock);
  }

  /** Lists the objects of `type` that carry `owner`'s labels. */
  list(request: MockRequest, owner: Owner): Promise<MockObject[]> {
    return this.#perform(request, () =>
      this.owned(owner).filter((object) => object.type === request.type),
    );
  }

  /**
   * Creates an object. A create repeating an earlier request id returns what that one made. Names
   * are unique per type unless `sharedNames` (the cloud then tells objects apart by id alone).
   */
  create(
    request: MockRequest & { readonly requestId: string; readonly name: string },
    content: Pick<MockObject, 'labels' | 'spec' | 'references'>,
    sharedNames: boolean,
  ): Promise<MockObject> {
    return this.#perform(request, () => {
      const earlierId = this.#requests.get(request.requestId);
      const earlier = earlierId === undefined ? undefined : this.#objects.get(earlierId);
      if (earlier !== undefined) return earlier;
      const taken = this.objects().some((o) => o.type === request.type && o.name === request.name);
      if (taken && !sharedNames) throw this.#error(request, 'conflict', false, true);
      const created: MockObject = {
        id: this.#newId(),
        type: request.type,
        name: request.name,
        labels: { ...content.labels },
        spec: structuredClone(content.spec),
        ...(content.references === undefined ? {} : { references: [...content.references] }),
      };
      this.#objects.set(created.id, created);
      this.#requests.set(request.requestId, created.id);
      return created;
    });
  }

  /** Replaces the spec (and, when given, the references) of the object with `id`. */
  update(
    request: MockRequest,
    id: string,
    spec: MockSpec,
    references?: readonly string[],
  ): Promise<MockObject> {
    return this.#perform(request, () => {
      const existing = this.#objects.get(id);
      if (existing === undefined) throw this.#error(request, 'not-found', false, true);
      const updated = {
        ...existing,
        spec: structuredClone(spec),
        ...(references === undefined ? {} : { references: [...references] }),
      };
      this.#objects.set(id, updated);
      return updated;
    });
  }

  /** Deletes the object with `id`; `in-use` (retryable) while another object refers to it. */
  delete(request: MockRequest, id: string): Promise<void> {
    return this.#perform(request, () => {
      if (!this.#objects.has(id)) throw this.#error(request, 'not-found', false, true);
      if (this.objects().some((o) => o.references?.includes(id))) {
        throw this.#error(request, 'in-use', true, true);
      }
      this.#objects.delete(id);
    });
  }

  /** Reads the lock of `cluster`. */
  readLock(request: MockRequest, cluster: string): Promise<LockRecord | undefined> {
    return this.#perform(request, () => this.#locks.get(cluster));
  }

  /** Takes the lock of `cluster`, atomically; `conflict` when one is held. */
  createLock(request: MockRequest, cluster: string, lock: LockRecord): Promise<void> {
    return this.#perform(request, () => {
      if (this.#locks.has(cluster)) throw this.#error(request, 'conflict', false, true);
      this.#locks.set(cluster, lock);
    });
  }

  /** Replaces the record of the lock of `cluster` if it has `lock.id`; `conflict` otherwise. */
  updateLock(request: MockRequest, cluster: string, lock: LockRecord): Promise<void> {
    return this.#perform(request, () => {
      if (this.#locks.get(cluster)?.id !== lock.id) throw this.#error(request, 'conflict', false);
      this.#locks.set(cluster, lock);
    });
  }

  /** Removes the lock of `cluster` if it is `lock`. */
  deleteLock(request: MockRequest, cluster: string, lock: LockRecord): Promise<void> {
    return this.#perform(request, () => {
      if (this.#locks.get(cluster)?.id === lock.id) this.#locks.delete(cluster);
    });
  }

  /*
   * Runs one call: logs it, applies rate limit, faults and latency, then `effect` — the change
   * to the cloud, which may throw a {@link ProviderError} (not found, conflict).
   */
  async #perform<T>(request: MockRequest, effect: () => T): Promise<T> {
    const info: MockCallInfo = {
      seq: this.#calls.length + 1,
      operation: request.operation,
      type: request.type,
      ...(request.name === undefined ? {} : { name: request.name }),
    };
    const call: { -readonly [K in keyof MockCall]: MockCall[K] } = {
      ...info,
      ...(request.requestId === undefined ? {} : { requestId: request.requestId }),
      startedAt: performance.now(),
      endedAt: undefined,
      outcome: undefined,
    };
    this.#calls.push(call);
    const end = (outcome: MockCall['outcome']) => {
      call.endedAt = performance.now();
      call.outcome = outcome;
    };
    try {
      if (this.#crashed) throw new MockCrashError();
      this.#checkRateLimit(request);
      // Like GCE, which answers a repeated request id with the first operation, failed or not.
      const failedBefore =
        request.requestId === undefined ? undefined : this.#failedRequests.get(request.requestId);
      if (failedBefore !== undefined) throw failedBefore;
      const fault = this.#faults?.(info);
      if (fault !== undefined && (fault.when ?? 'before') === 'before')
        this.#inject(fault, request);
      const latency = this.#latency(info);
      if (latency > 0) await sleep(latency, undefined, { signal: request.signal });
      else request.signal.throwIfAborted();
      const result = effect();
      if (fault !== undefined && fault.when === 'after') this.#inject(fault, request);
      // Crashed while this call was in flight: it took effect, but nobody hears the answer.
      if (this.#crashed) throw new MockCrashError();
      end('ok');
      return result;
    } catch (error) {
      const remember =
        isProviderError(error) &&
        error.noEffect &&
        error.reason !== 'rate-limited' &&
        request.requestId !== undefined;
      if (remember) this.#failedRequests.set(request.requestId, error);
      end(
        error instanceof MockCrashError
          ? 'crash'
          : request.signal.aborted && !isProviderError(error)
            ? 'aborted'
            : 'error',
      );
      throw error;
    }
  }

  #error(
    request: Pick<MockRequest, 'operation' | 'type' | 'name'>,
    reason: ProviderErrorReason,
    retryable?: boolean,
    noEffect = false,
  ): ProviderError {
    const resource = request.name === undefined ? request.type : `${request.type}/${request.name}`;
    return new ProviderError(`${request.operation} ${resource}: ${reason}`, {
      provider: this.#options.provider,
      operation: providerOperation(request.operation),
      resource,
      reason,
      ...(retryable === undefined ? {} : { retryable }),
      noEffect,
    });
  }

  #inject(fault: MockFault, request: MockRequest): void {
    if (fault.kind === 'crash') {
      this.#crashed = true;
      this.#options.onCrash?.();
      throw new MockCrashError();
    }
    throw this.#error(
      request,
      fault.reason,
      fault.retryable,
      (fault.when ?? 'before') === 'before',
    );
  }

  #checkRateLimit(request: MockRequest): void {
    const limit = this.#options.rateLimit;
    if (limit === undefined) return;
    const now = performance.now();
    while (this.#recent.length > 0 && (this.#recent[0] ?? now) <= now - limit.windowMs)
      this.#recent.shift();
    if (this.#recent.length >= limit.calls) {
      throw this.#error(request, 'rate-limited', true, true);
    }
    this.#recent.push(now);
  }

  #latency(info: MockCallInfo): number {
    const latency = this.#options.latencyMs ?? 0;
    return typeof latency === 'number' ? latency : latency(info);
  }

  #newId(): string {
    return `m-${String(this.#nextId++).padStart(6, '0')}`;
  }
}

function providerOperation(operation: MockOperation): ProviderOperation {
  switch (operation) {
    case 'list':
    case 'create':
    case 'update':
    case 'delete':
      return operation;
    default:
      return 'lock';
  }
}
