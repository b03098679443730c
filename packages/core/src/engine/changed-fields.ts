import { canonicalJson } from './digest.js';

/**
 * The top-level keys whose values differ between `desired` and `actual`, compared as canonical
 * JSON, sorted. A helper for resource types' `diff`.
 */
export function changedFields(
  desired: Readonly<Record<string, unknown>>,
  actual: Readonly<Record<string, unknown>>,
): string[] {
  const keys = new Set([...Object.keys(desired), ...Object.keys(actual)]);
  return [...keys]
    .filter((key) => canonicalJson(desired[key]) !== canonicalJson(actual[key]))
    .sort();
}
