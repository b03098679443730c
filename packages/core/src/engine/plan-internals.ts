import type { EngineOptions } from './options.js';
import type { Owner } from './owner.js';
import type { PlanDocument, PlanStep } from './plan-document.js';
import type { Provider } from './provider.js';
import type { Resource } from './resource.js';
import type { ResourceState, ResourceType } from './resource-type.js';
import type { Snapshot } from './snapshot.js';

declare const outputType: unique symbol;

/**
 * A plan made by {@link plan}: its JSON form plus, held by the engine out of sight, the specs
 * (secrets included) and objects that `apply` needs. `JSON.stringify(plan)` gives exactly the
 * {@link PlanDocument}.
 */
export interface Plan<Output = unknown> extends PlanDocument {
  /** Carries the provider's output type to `apply`; never set. */
  readonly [outputType]?: Output;
}

/** One step with what it works on. */
export interface PlannedStep {
  /** The step as it appears in the plan. */
  readonly step: PlanStep;
  /** The resource type that carries it out. */
  readonly resourceType: ResourceType;
  /** The desired resource (all actions but delete). */
  readonly resource?: Resource;
  /** The existing object (all actions but create). */
  readonly current?: ResourceState;
}

/** What the engine keeps about a plan beyond its document. */
export interface PlanInternals {
  /** The provider the plan was made with. */
  readonly provider: Provider<never>;
  /** The cluster. */
  readonly owner: Owner;
  /** The steps, in plan order. */
  readonly steps: readonly PlannedStep[];
  /** What was read. */
  readonly snapshot: Snapshot;
  /** Plans again from the same input. */
  replan(options: EngineOptions): Promise<Plan>;
}

// A WeakMap, not a property: secret specs stay out of util.inspect, spreads and JSON.
const internals = new WeakMap<PlanDocument, PlanInternals>();

/** Makes the frozen plan for `document` and remembers what `apply` needs. */
export function attachInternals<Output>(document: PlanDocument, data: PlanInternals): Plan<Output> {
  const plan: Plan<Output> = Object.freeze({ ...document });
  internals.set(plan, data);
  return plan;
}

/** What the engine remembers about `plan`, if this process made it. */
export function internalsOf(plan: PlanDocument): PlanInternals | undefined {
  return internals.get(plan);
}
