import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import { NotPlainJsonError } from './not-plain-json-error.js';
import { plainJsonProblem } from './plain-json.js';

/**
 * The RFC 8785 canonical JSON of `value`: object keys sorted at every level, so equal values
 * always serialise to the same bytes. Plans, fingerprints, change detection and request ids
 * depend on that. `undefined` gives `null`, so a missing field compares equal to itself.
 *
 * @throws NotPlainJsonError when `value` holds anything but plain JSON: such a value has no
 * faithful canonical form.
 */
export function canonicalJson(value: unknown): string {
  if (value === undefined) return 'null';
  const problem = plainJsonProblem(value);
  if (problem !== undefined) throw new NotPlainJsonError(problem);
  return canonicalize(value) ?? 'null';
}

/** The sha256 of `text` as `sha256:<hex>`; the prefix says which hash a reader is looking at. */
export function sha256(text: string): string {
  return `sha256:${createHash('sha256').update(text).digest('hex')}`;
}
