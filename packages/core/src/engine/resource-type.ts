import type { Change } from './change.js';
import type { EngineOperation } from './events.js';
import type { Owner } from './owner.js';
import type { Resource } from './resource.js';

/** The least a resource type must tell the engine about an object it read. */
export interface ResourceState {
  /** The cloud's own identifier of the object, unique across the type (a GCE id, a VM UUID). */
  readonly id: string;
  /** The resource name it realises; matched against {@link Resource.name}. */
  readonly name: string;
  /**
   * The object's labels. The engine refuses an object whose labels are not the owner's, and one
   * without labels unless its type's `ownership` is `'provider-verified'`, so a provider bug can
   * never make it delete what it does not own.
   */
  readonly labels?: Readonly<Record<string, string>>;
}

/** What every provider call receives. */
export interface ProviderContext {
  /** The cluster being worked on; label everything you create with `owner.labels`. */
  readonly owner: Owner;
  /** Aborts when the caller cancels or the step times out; pass it to every request. */
  readonly signal: AbortSignal;
}

/** What a create, update or delete call receives. */
export interface OperationContext extends ProviderContext {
  /**
   * A UUID derived from what the plan read, the step, the desired spec and the call: the same on
   * every retry of one operation, so a retried insert sent with it as the cloud's request id
   * cannot create a duplicate. After an attempt failed with a `noEffect` {@link ProviderError}
   * the next attempt gets a new, random, id. A run that finds the cloud and spec as an earlier
   * run did derives the earlier run's ids again: a provider whose cloud answers such an id with
   * the earlier run's failed operation (GCE keeps them for about an hour) should throw that
   * failure as retryable with `noEffect`, so the engine tries again under a new id.
   */
  readonly requestId: string;
  /** 1 on the first try, 2 on the first retry, … */
  readonly attempt: number;
  /** Reports progress of a long operation (shown as a `resource.progress` event). */
  progress(message: string): void;
  /**
   * The run this call is part of: a delete in a `destroy` takes the whole cluster down, one in
   * an `apply` takes a part away from a cluster that goes on (an etcd member then leaves its
   * cluster first). Absent when a caller made the context by hand.
   */
  readonly operation?: EngineOperation;
  /**
   * Tells the engine that the object this create makes now exists in the cloud, so steps that
   * depend on it may start while this call still reads it back. Call it once the cloud reported
   * the creation done, never before; later calls do nothing. A step that fails after it has
   * still failed, but what started meanwhile runs on. Absent where the engine does not offer it
   * (anything but a create step) or a caller made the context by hand.
   */
  readonly dependentsMayStart?: () => void;
}

/**
 * How a replacement runs. Create-before-destroy keeps the object available but needs the cloud
 * to hold two objects with one resource name at once.
 */
export type ReplaceStrategy = 'create-before-destroy' | 'destroy-before-create';

/**
 * How the objects a resource type lists prove they belong to the owner. `labels`: each carries
 * the owner's labels in {@link ResourceState.labels}. `provider-verified`: the cloud type has no
 * labels, and `list` returns only objects it checked some other way (a description marker, an
 * entry in a file only hakoc writes); objects without labels are then taken as owned.
 */
export type OwnershipProof = 'labels' | 'provider-verified';

/**
 * How a provider handles one kind of cloud object. Each call does one thing; the engine does
 * ordering, concurrency, retries and events. Throw {@link ProviderError} with `retryable` set
 * for failures worth retrying (rate limits, not ready, 5xx); anything else is final.
 */
export interface ResourceType<Spec = unknown, State extends ResourceState = ResourceState> {
  /** The type name resources refer to, for example `gce.instanceTemplate`. */
  readonly type: string;
  /** How `replace` changes run. @default 'destroy-before-create' */
  readonly replaceStrategy?: ReplaceStrategy;
  /** How listed objects prove they are owned. @default 'labels' */
  readonly ownership?: OwnershipProof;
  /** Every object of this type that carries the owner's labels, in a few calls (not one each). */
  list(ctx: ProviderContext, owner: Owner): Promise<readonly State[]>;
  /** Creates the object; labels it with `ctx.owner.labels`; sends `ctx.requestId` if it can. */
  create(ctx: OperationContext, resource: Resource<Spec>): Promise<State>;
  /** Changes the object in place. Without it every change is a replacement. */
  update?(ctx: OperationContext, current: State, resource: Resource<Spec>): Promise<State>;
  /** Deletes the object. A "not found" {@link ProviderError} counts as done. */
  delete(ctx: OperationContext, current: State): Promise<void>;
  /** What it takes to turn `current` into `resource`. Pure: no calls. */
  diff(resource: Resource<Spec>, current: State): Change;
  /**
   * The part of a listed object that the plan's fingerprint covers, as plain JSON. Leave out
   * whatever changes on its own — status, timestamps, health, fields the cloud fills in — or
   * every plan is stale by the time it is applied. Keep everything `diff` looks at: a plan must
   * go stale when what it was diffed against changes. @default the whole state
   */
  fingerprint?(state: State): unknown;
}
