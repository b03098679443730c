import type * as z from 'zod';
import { isRecord } from './is-record.js';

/**
 * A copy of `document` without the keys zod reported as unknown. Parsing the sections of this
 * copy lets a typo (`machineTyp`) be reported without hiding the semantic rules of the rest of
 * its section (an even etcd `count` next to it). Only the containers on the way are copied.
 */
export function withoutUnknownKeys(
  document: unknown,
  issues: readonly z.core.$ZodIssue[],
): unknown {
  let result = document;
  for (const issue of issues) {
    if (issue.code !== 'unrecognized_keys') continue;
    const unknown = new Set(issue.keys);
    result = replaceAt(result, issue.path, (value) =>
      isRecord(value)
        ? Object.fromEntries(Object.entries(value).filter(([key]) => !unknown.has(key)))
        : value,
    );
  }
  return result;
}

function replaceAt(
  value: unknown,
  path: readonly PropertyKey[],
  replace: (value: unknown) => unknown,
): unknown {
  const [head, ...rest] = path;
  if (head === undefined) return replace(value);
  if (Array.isArray(value) && typeof head === 'number') {
    return value.map((item, index) => (index === head ? replaceAt(item, rest, replace) : item));
  }
  if (isRecord(value) && typeof head === 'string') {
    return { ...value, [head]: replaceAt(value[head], rest, replace) };
  }
  return value;
}
