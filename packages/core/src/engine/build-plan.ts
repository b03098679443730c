import { GraphError } from './graph-error.js';
import { explainNotPlainJson } from './not-plain-json-error.js';
import type { Owner } from './owner.js';
import {
  PLAN_FORMAT_VERSION,
  type PlanDocument,
  type PlanStep,
  type PlanSummary,
  type StepAction,
} from './plan-document.js';
import type { PlannedStep } from './plan-internals.js';
import type { Provider } from './provider.js';
import { redactedSpec } from './redact.js';
import { type Resource, resourceId } from './resource.js';
import type { ResourceState, ResourceType } from './resource-type.js';
import { chainSerialGroups } from './serial-groups.js';
import type { Snapshot } from './snapshot.js';

/** A plan document and its steps with what they work on. */
export interface BuiltPlan {
  /** The JSON form. */
  readonly document: PlanDocument;
  /** The steps, in document order. */
  readonly steps: readonly PlannedStep[];
}

interface Orphan {
  readonly type: ResourceType;
  readonly state: ResourceState;
  readonly reason: string;
}

/** How {@link buildPlan} shows what it plans. */
export interface BuildSettings {
  /** The key of secret fields' keyed hashes; without one they show as markers. */
  readonly secretKey?: string | Uint8Array;
}

/**
 * Diffs the ordered desired graph against what exists. Every desired resource gets a step; every
 * owned object no resource claims is deleted — after everything else, in reverse type order.
 *
 * @throws GraphError when a spec is not plain JSON.
 */
export function buildPlan(
  provider: Pick<Provider<never>, 'name' | 'types'>,
  owner: Owner,
  ordered: readonly Resource[],
  snapshot: Snapshot,
  settings: BuildSettings = {},
  orphanReason = 'not in the desired graph',
): BuiltPlan {
  const types = new Map(provider.types.map((type) => [type.type, type]));
  const claimed = new Set<ResourceState>();
  const orphans: Orphan[] = [];
  const steps: PlannedStep[] = [];
  // An object cannot be deleted while another refers to it. So when one is replaced, each object
  // that refers to it is deleted first and created again after — and so on down the references.
  // `oldGoneIn` names, per resource whose old object goes away, the step that deletes it.
  const oldGoneIn = new Map<string, string>();
  const cascadeDeletes: PlannedStep[] = [];
  const mustWaitFor = new Map<string, string[]>();

  for (const resource of ordered) {
    const resourceType = types.get(resource.type);
    if (resourceType === undefined) continue; // orderDesired has rejected unknown types
    const id = resourceId(resource);
    const base = {
      id,
      type: resource.type,
      name: resource.name,
      dependsOn: [...new Set((resource.dependsOn ?? []).map(resourceId))].sort(),
    };
    const specOf = (changedFields: readonly string[]) =>
      explainNotPlainJson(
        `${id} spec`,
        (message) => new GraphError(provider.name, [message]),
        () =>
          redactedSpec(resource, {
            cluster: owner.cluster,
            secretKey: settings.secretKey,
            changedFields,
          }),
      );
    const found = (snapshot.byType.get(resource.type) ?? []).filter(
      (s) => s.name === resource.name,
    );
    const diffs = found.map((state) => ({
      state,
      change: explainNotPlainJson(
        `${id} spec (or the state of ${state.id})`,
        (message) => new GraphError(provider.name, [message]),
        () => resourceType.diff(resource, state),
      ),
    }));
    // Two objects for one resource (a crash mid-replacement): keep one that matches, if any.
    const kept = diffs.find((d) => d.change.action === 'noop') ?? diffs[0];
    if (kept === undefined) {
      steps.push({ step: { ...base, action: 'create', spec: specOf([]) }, resourceType, resource });
      continue;
    }
    claimed.add(kept.state);
    for (const extra of found) {
      if (extra !== kept.state) {
        orphans.push({ type: resourceType, state: extra, reason: `duplicate of ${kept.state.id}` });
      }
    }
    const current = kept.state;
    const withActual = { ...base, actualId: current.id };
    const change = kept.change;
    const replacedReferences = (resource.references ?? [])
      .map(resourceId)
      .filter((ref) => oldGoneIn.has(ref));
    if (replacedReferences.length > 0) {
      const reason = `it refers to ${replacedReferences.join(', ')}, which ${replacedReferences.length === 1 ? 'is' : 'are'} replaced`;
      const deleteId = `${resource.type}/${resource.name}@${current.id}`;
      for (const ref of replacedReferences) {
        const deleting = oldGoneIn.get(ref) ?? ref;
        mustWaitFor.set(deleting, [...(mustWaitFor.get(deleting) ?? []), deleteId]);
      }
      oldGoneIn.set(id, deleteId);
      cascadeDeletes.push({
        step: {
          id: deleteId,
          type: resource.type,
          name: resource.name,
          action: 'delete',
          dependsOn: [],
          actualId: current.id,
          reason,
        },
        resourceType,
        current,
      });
      steps.push({
        step: { ...base, action: 'create', reason, spec: specOf([]) },
        resourceType,
        resource,
      });
      continue;
    }
    let step: PlanStep;
    if (change.action === 'noop') {
      step = { ...withActual, action: 'noop' };
    } else if (change.action === 'update' && resourceType.update !== undefined) {
      step = {
        ...withActual,
        action: 'update',
        fields: change.fields,
        spec: specOf(change.fields),
      };
    } else {
      step = {
        ...withActual,
        action: 'replace',
        fields: change.fields,
        reason:
          change.action === 'replace'
            ? change.reason
            : `${resource.type} cannot be updated in place`,
        replaceStrategy: resourceType.replaceStrategy ?? 'destroy-before-create',
        spec: specOf(change.fields),
      };
      oldGoneIn.set(id, id);
    }
    steps.push({ step, resourceType, resource, current });
  }
  // Deepest referrers were found last and are deleted first; the steps that delete what they
  // refer to wait for them.
  const waiting = (planned: PlannedStep): PlannedStep => {
    const extra = mustWaitFor.get(planned.step.id);
    if (extra === undefined) return planned;
    const dependsOn = [...new Set([...planned.step.dependsOn, ...extra])].sort();
    return { ...planned, step: { ...planned.step, dependsOn } };
  };
  steps.splice(
    0,
    steps.length,
    ...[...cascadeDeletes].reverse().map(waiting),
    ...chainSerialGroups(steps.map(waiting)),
  );

  for (const type of provider.types) {
    for (const state of snapshot.byType.get(type.type) ?? []) {
      if (!claimed.has(state) && !orphans.some((o) => o.state === state)) {
        orphans.push({ type, state, reason: orphanReason });
      }
    }
  }
  steps.push(...orderDeletes(provider.types, orphans, steps));

  const document: PlanDocument = {
    formatVersion: PLAN_FORMAT_VERSION,
    provider: provider.name,
    cluster: owner.cluster,
    fingerprint: snapshot.fingerprint,
    steps: steps.map((s) => s.step),
    summary: summarise(steps.map((s) => s.step.action)),
  };
  return { document, steps };
}

// Deletes wait for every other step (an old object may be in use until its replacement is
// wired in), then go type by type in reverse dependency order.
function orderDeletes(
  types: readonly ResourceType[],
  orphans: readonly Orphan[],
  others: readonly PlannedStep[],
): PlannedStep[] {
  const dependedOn = new Set(others.flatMap((s) => s.step.dependsOn));
  let previous = others.map((s) => s.step.id).filter((id) => !dependedOn.has(id));
  const deletes: PlannedStep[] = [];
  for (const type of [...types].reverse()) {
    const level = orphans
      .filter((o) => o.type === type)
      .map(({ state, reason }) => ({
        step: {
          id: `${type.type}/${state.name}@${state.id}`,
          type: type.type,
          name: state.name,
          action: 'delete' as const,
          dependsOn: [...previous].sort(),
          actualId: state.id,
          reason,
        },
        resourceType: type,
        current: state,
      }));
    if (level.length === 0) continue;
    deletes.push(...level);
    previous = level.map((s) => s.step.id);
  }
  return deletes;
}

function summarise(actions: readonly StepAction[]): PlanSummary {
  const count = (action: StepAction) => actions.filter((a) => a === action).length;
  const noop = count('noop');
  return {
    create: count('create'),
    update: count('update'),
    replace: count('replace'),
    delete: count('delete'),
    noop,
    changes: actions.length - noop,
  };
}
