import type { PlanDocument } from '@hakoc/core';

/** One resource type of the cluster: its objects by how they stand against the spec. */
export interface ResourceTypeStatus {
  /** The resource type, for example `gce.instanceGroup`. */
  readonly type: string;
  /** Exist and match the spec. */
  readonly present: readonly string[];
  /** Exist but differ from the spec (an apply updates or replaces them). */
  readonly changed: readonly string[];
  /** The spec wants them; nothing of ours exists. */
  readonly missing: readonly string[];
  /** Ours, but no longer in the spec (an apply deletes them). */
  readonly extra: readonly string[];
}

/**
 * The objects of each type, sorted by how they stand, read off a plan: unchanged steps exist as
 * the spec says, updates and replacements exist but differ, creates are missing, deletes are
 * extra. Types in plan order.
 */
export function resourceStatusOf(plan: PlanDocument): ResourceTypeStatus[] {
  const byType = new Map<
    string,
    { present: string[]; changed: string[]; missing: string[]; extra: string[] }
  >();
  for (const step of plan.steps) {
    let entry = byType.get(step.type);
    if (entry === undefined) {
      entry = { present: [], changed: [], missing: [], extra: [] };
      byType.set(step.type, entry);
    }
    const bucket = {
      noop: entry.present,
      update: entry.changed,
      replace: entry.changed,
      create: entry.missing,
      delete: entry.extra,
    }[step.action];
    bucket.push(step.name);
  }
  return [...byType].map(([type, entry]) => ({ type, ...entry }));
}

/** True when every object exists as the spec says and nothing extra is left. */
export function isComplete(resources: readonly ResourceTypeStatus[]): boolean {
  return resources.every((r) => r.changed.length + r.missing.length + r.extra.length === 0);
}
