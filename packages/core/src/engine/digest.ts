import { createHash } from 'node:crypto';

/**
 * JSON with object keys sorted at every level, so equal values always serialise to the same
 * bytes. Plans, fingerprints and request ids depend on that.
 */
export function canonicalJson(value: unknown): string {
  const text = JSON.stringify(value, (_key, current: unknown) => {
    if (current === null || typeof current !== 'object' || Array.isArray(current)) return current;
    const entries = Object.entries(current).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return Object.fromEntries(entries);
  });
  // JSON.stringify gives undefined for undefined and functions; a digest of "nothing" is "null".
  return text ?? 'null';
}

/** The sha256 of `text` as `sha256:<hex>`; the prefix says which hash a reader is looking at. */
export function sha256(text: string): string {
  return `sha256:${createHash('sha256').update(text).digest('hex')}`;
}
