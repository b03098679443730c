import {
  changedFields,
  isProviderError,
  noChange,
  type OperationContext,
  type Owner,
  type ProviderContext,
  type ReplaceStrategy,
  type Resource,
  type ResourceState,
  type ResourceType,
  replaceFields,
  resourceId,
  updateFields,
} from '@hakoc/core';
import { gceFailure } from './gce-errors.js';
import { ownedBy } from './ownership.js';

/** What the provider knows of one GCE object: the fields it manages, as its spec states them. */
export interface GceState<Spec> extends ResourceState {
  /** The labels (or description marker) that make it ours. */
  readonly labels: Readonly<Record<string, string>>;
  /** The managed fields, shaped like the resource's spec so a diff is a field comparison. */
  readonly fields: Spec;
}

/** An object as a collection lists it, reduced to what the provider needs. */
export interface Listed<Spec> {
  readonly id: string;
  readonly name: string;
  readonly labels: Readonly<Record<string, string>> | undefined;
  readonly fields: Spec;
}

/** How one GCE collection is read and written; {@link gceResourceType} does the rest. */
export interface GceTypeDefinition<Spec> {
  /** The resource type name, `gce.<collection>`. */
  readonly type: string;
  /** @default 'destroy-before-create' */
  readonly replaceStrategy?: ReplaceStrategy;
  /** Spec fields GCE cannot change in place. */
  readonly immutable: readonly string[];
  /** Why those fields force a replacement. */
  readonly replaceReason: string;
  /** Spec fields the diff ignores (set only at creation, then owned by GCE). */
  readonly createOnly?: readonly string[];
  /** Every object of the collection that may be ours (the helper keeps only owned ones). */
  list(signal: AbortSignal, owner: Owner): Promise<readonly Listed<Spec>[]>;
  /**
   * One object by name, or `undefined` when there is none. `spec` is the desired one, for
   * collections whose address needs more than the name (a zonal disk's zone).
   */
  get(signal: AbortSignal, name: string, spec: Spec): Promise<Listed<Spec> | undefined>;
  /** Inserts it and waits for the operation. */
  insert(ctx: OperationContext, resource: Resource<Spec>): Promise<void>;
  /** Changes it in place and waits; absent when every change replaces. */
  update?(
    ctx: OperationContext,
    current: GceState<Spec>,
    resource: Resource<Spec>,
    fields: readonly string[],
  ): Promise<void>;
  /** Deletes it and waits. */
  remove(ctx: OperationContext, current: GceState<Spec>): Promise<void>;
}

function stateOf<Spec>(listed: Listed<Spec>, owner: Owner): GceState<Spec> | undefined {
  if (!ownedBy(listed.labels, owner)) return undefined;
  return { id: listed.id, name: listed.name, labels: listed.labels, fields: listed.fields };
}

function isReason(error: unknown, reason: string): boolean {
  return isProviderError(error) && error.reason === reason;
}

/**
 * A {@link ResourceType} for one GCE collection: lists owned objects in one paged call; an insert
 * answered with "already exists" adopts the object when it carries our marker and refuses it
 * otherwise; "not found" on delete counts as done; the diff compares spec fields and says which
 * force a replacement.
 */
export function gceResourceType<Spec extends object>(
  definition: GceTypeDefinition<Spec>,
): ResourceType<Spec, GceState<Spec>> {
  const createOnly = new Set(definition.createOnly ?? []);
  const readBack = async (
    ctx: OperationContext,
    resource: Resource<Spec>,
  ): Promise<GceState<Spec>> => {
    const listed = await definition.get(ctx.signal, resource.name, resource.spec);
    const state = listed === undefined ? undefined : stateOf(listed, ctx.owner);
    if (state === undefined) {
      throw gceFailure(
        `${resourceId(resource)} is not there after its insert finished.`,
        { operation: 'create', resource: resourceId(resource) },
        'not-ready',
      );
    }
    return state;
  };
  const type: ResourceType<Spec, GceState<Spec>> = {
    type: definition.type,
    async list(ctx: ProviderContext, owner: Owner) {
      const listed = await definition.list(ctx.signal, owner);
      return listed.flatMap((item) => stateOf(item, owner) ?? []);
    },
    async create(ctx, resource) {
      try {
        await definition.insert(ctx, resource);
        // The insert's operation is done: what refers to the object may be created while it is
        // read back.
        ctx.dependentsMayStart?.();
      } catch (error) {
        if (!isReason(error, 'conflict')) throw error;
        // A name GCE already has: ours from an interrupted run (adopt it; the next plan fixes
        // any difference) or someone else's (never touch it).
        const existing = await definition.get(ctx.signal, resource.name, resource.spec);
        if (existing === undefined || !ownedBy(existing.labels, ctx.owner)) {
          throw gceFailure(
            `${resourceId(resource)}: a ${definition.type} named "${resource.name}" already exists and is not cluster ${ctx.owner.cluster}'s.`,
            { operation: 'create', resource: resourceId(resource) },
            'conflict',
            'Rename or remove the existing object, or choose another cluster name.',
          );
        }
      }
      return readBack(ctx, resource);
    },
    async delete(ctx, current) {
      await definition.remove(ctx, current);
    },
    diff(resource: Resource<Spec>, current: GceState<Spec>) {
      const fields = specFieldsChanged(resource.spec, current.fields).filter(
        (f) => !createOnly.has(f),
      );
      if (fields.length === 0) return noChange();
      const forcing = fields.filter((f) => definition.immutable.includes(f));
      if (forcing.length > 0 || definition.update === undefined) {
        return replaceFields(fields, definition.replaceReason);
      }
      return updateFields(fields);
    },
  };
  const update = definition.update;
  return {
    ...type,
    ...(definition.replaceStrategy === undefined
      ? {}
      : { replaceStrategy: definition.replaceStrategy }),
    ...(update === undefined
      ? {}
      : {
          async update(ctx: OperationContext, current: GceState<Spec>, resource: Resource<Spec>) {
            const fields = specFieldsChanged(resource.spec, current.fields).filter(
              (f) => !createOnly.has(f),
            );
            await update(ctx, current, resource, fields);
            return readBack(ctx, resource);
          },
        }),
  };
}

/** The top-level spec fields whose values differ (specs are plain JSON objects). */
export function specFieldsChanged(desired: object, actual: object): string[] {
  return changedFields(
    desired as Readonly<Record<string, unknown>>,
    actual as Readonly<Record<string, unknown>>,
  );
}

/** Deletes through `remove`, treating "not found" as done. */
export async function ignoreNotFound(work: Promise<unknown>): Promise<void> {
  try {
    await work;
  } catch (error) {
    if (!isReason(error, 'not-found')) throw error;
  }
}

/** Reads one object, `undefined` when GCE says it does not exist. */
export async function getOrUndefined<T>(work: Promise<T>): Promise<T | undefined> {
  try {
    return await work;
  } catch (error) {
    if (isReason(error, 'not-found')) return undefined;
    throw error;
  }
}
