import type { LockStore } from './lock-store.js';
import type { Resource } from './resource.js';
import type { ProviderContext, ResourceState, ResourceType } from './resource-type.js';

/** One object the engine read or made, with its resource type. */
export interface ActualResource<State extends ResourceState = ResourceState> {
  /** The resource type name. */
  readonly type: string;
  /** What the resource type returned for it. */
  readonly state: State;
}

/** What a preflight check found that does not stop the plan. */
export interface PreflightResult {
  /** One sentence each, for the plan's `warnings`. */
  readonly warnings: readonly string[];
}

/**
 * A cloud adapter: turns an `Input` (for real providers, the cluster model) into a desired
 * resource graph and knows how to handle each resource type. Made by a factory, a plain object.
 */
export interface Provider<Input, Output = unknown> {
  /** The provider name, for example `gce`; used in errors and events. */
  readonly name: string;
  /**
   * Every resource type, in dependency order: a resource may depend only on resources of its
   * own type or of types listed before it. Orphans, which have no desired graph, are deleted in
   * the reverse of this order.
   */
  readonly types: readonly ResourceType[];
  /** Where the cluster lock lives. */
  readonly lock: LockStore;
  /** The desired graph for `input`. Pure: the same input gives the same graph. */
  desired(input: Input): readonly Resource[] | Promise<readonly Resource[]>;
  /**
   * Checks credentials, quotas and the like before anything is read: throws what stops the
   * plan, and may return warnings that do not (they end up in the plan's `warnings`).
   */
  // biome-ignore lint/suspicious/noConfusingVoidType: a preflight with nothing to warn of returns nothing, as every one did before warnings.
  preflight?(ctx: ProviderContext): Promise<void | PreflightResult>;
  /**
   * Refuses, before anything is planned, a change from what runs (`actual`, as listed) to what
   * `input` asks for that no plan can make safely — skipping a minor version, a downgrade.
   * Throw a `HakocError` with a code and a hint (see `checkVersionStep`).
   */
  checkChange?(input: Input, actual: readonly ActualResource[]): void;
  /** What a user needs after an apply (API endpoint, addresses), from what exists. */
  outputs?(actual: readonly ActualResource[]): Output;
}
