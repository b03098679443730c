import { createHash } from 'node:crypto';

/** JSON with object keys sorted at every level: equal values give equal bytes. */
export function canonicalJson(value: unknown): string {
  return (
    JSON.stringify(value, (_key, current: unknown) => {
      if (current === null || typeof current !== 'object' || Array.isArray(current)) return current;
      return Object.fromEntries(
        Object.entries(current).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
      );
    }) ?? 'null'
  );
}

/** Lowercase hex sha256 of a string. */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
