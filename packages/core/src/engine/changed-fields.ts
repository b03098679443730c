import { canonicalJson } from './digest.js';
import { NotPlainJsonError } from './not-plain-json-error.js';

/**
 * The top-level keys whose values differ between `desired` and `actual`, compared as canonical
 * JSON, sorted. A helper for resource types' `diff`.
 *
 * @throws Error (named `NotPlainJsonError`) when a value is not plain JSON — a `Secret`, a Map,
 * a BigInt — since such values cannot be compared faithfully; inside `plan` it becomes a
 * GraphError naming the resource.
 */
export function changedFields(
  desired: Readonly<Record<string, unknown>>,
  actual: Readonly<Record<string, unknown>>,
): string[] {
  const keys = new Set([...Object.keys(desired), ...Object.keys(actual)]);
  return [...keys].filter((key) => canonicalOf(desired, key) !== canonicalOf(actual, key)).sort();
}

function canonicalOf(record: Readonly<Record<string, unknown>>, key: string): string {
  try {
    return canonicalJson(record[key]);
  } catch (error) {
    if (!(error instanceof NotPlainJsonError)) throw error;
    throw new NotPlainJsonError({ ...error.problem, path: `.${key}${error.problem.path}` });
  }
}
