/** What a plan step does. */
export type StepAction = 'create' | 'update' | 'replace' | 'delete' | 'noop';

/** The version of the plan JSON format this release writes and reads. */
export const PLAN_FORMAT_VERSION = 1;

/** One step of a plan, as it appears in plan JSON. */
export interface PlanStep {
  /** Unique within the plan: `type/name`, or `type/name@<cloud id>` for a delete. */
  readonly id: string;
  /** The resource type. */
  readonly type: string;
  /** The resource name. */
  readonly name: string;
  /** What the step does. */
  readonly action: StepAction;
  /** Ids of the steps that must finish first. */
  readonly dependsOn: readonly string[];
  /** The cloud id of the existing object it works on (all actions but create). */
  readonly actualId?: string;
  /** The spec fields that change (update, replace). */
  readonly fields?: readonly string[];
  /** Why: what forces a replacement, or why an object is deleted. */
  readonly reason?: string;
  /** How a replacement runs (replace). */
  readonly replaceStrategy?: 'create-before-destroy' | 'destroy-before-create';
  /**
   * The desired spec (create, update, replace), secret fields shown as `(secret)`,
   * `(secret, changed)` or, when the plan was made with a `secretKey`, `hmac-sha256:<hex>`.
   */
  readonly spec?: unknown;
}

/** How many steps of each action a plan has. */
export interface PlanSummary {
  /** Objects to create. */
  readonly create: number;
  /** Objects to change in place. */
  readonly update: number;
  /** Objects to delete and create again. */
  readonly replace: number;
  /** Objects to delete. */
  readonly delete: number;
  /** Objects that already match. */
  readonly noop: number;
  /** Every step but the noops. */
  readonly changes: number;
}

/**
 * A plan as JSON, a versioned format read by tools in users' pipelines. Deterministic: the same
 * input and the same cloud give byte-identical JSON. Secret values never appear in it.
 */
export interface PlanDocument {
  /** Bumped on any incompatible change; readers must check it. */
  readonly formatVersion: typeof PLAN_FORMAT_VERSION;
  /** The provider name. */
  readonly provider: string;
  /** The cluster name. */
  readonly cluster: string;
  /** A sha256 of everything the plan read; apply refuses the plan when it changed. */
  readonly fingerprint: string;
  /** Steps in a valid execution order (dependencies first). */
  readonly steps: readonly PlanStep[];
  /** Counts per action. */
  readonly summary: PlanSummary;
  /**
   * What the provider's preflight found that does not stop the plan, one sentence each (a quota
   * that holds the cluster but not its autoscaler's maximum). Absent when there is none.
   */
  readonly warnings?: readonly string[];
}
