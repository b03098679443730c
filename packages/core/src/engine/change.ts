/** Nothing to do: the object already matches the resource. */
export interface NoChange {
  /** Discriminant. */
  readonly action: 'noop';
}

/** The object can be changed in place. */
export interface UpdateChange {
  /** Discriminant. */
  readonly action: 'update';
  /** The spec fields that differ. */
  readonly fields: readonly string[];
}

/** The object must be deleted and created again. */
export interface ReplaceChange {
  /** Discriminant. */
  readonly action: 'replace';
  /** The spec fields that differ. */
  readonly fields: readonly string[];
  /** Why these fields force a replacement, shown in the plan. */
  readonly reason: string;
}

/** What a resource type's `diff` says it takes to turn an object into the desired resource. */
export type Change = NoChange | UpdateChange | ReplaceChange;

/** The {@link Change} for an object that already matches. */
export function noChange(): NoChange {
  return { action: 'noop' };
}

/** The {@link Change} for an object whose `fields` change in place. */
export function updateFields(fields: readonly string[]): UpdateChange {
  return { action: 'update', fields: [...fields] };
}

/** The {@link Change} for an object that must be replaced because `fields` changed. */
export function replaceFields(fields: readonly string[], reason: string): ReplaceChange {
  return { action: 'replace', fields: [...fields], reason };
}
