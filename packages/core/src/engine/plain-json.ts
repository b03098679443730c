/** Where a value stops being plain JSON, and what was found there. */
export interface PlainJsonProblem {
  /** The path to the value, like `.ports[2]`; empty for the value itself. */
  readonly path: string;
  /** What the value is, in words: `a Map`, `a BigInt`, `a cycle back to .spec`. */
  readonly found: string;
}

/**
 * The first place where `value` is not plain JSON — null, booleans, finite numbers, well-formed
 * strings, arrays and objects whose prototype is `Object.prototype` or null — or undefined when
 * it all is. An object property whose value is undefined counts as absent, as in JSON.
 *
 * Anything else would be turned into JSON by a rule of its own (`toJSON`, `{}` for a Map, an ISO
 * string for a Date) or not at all (BigInt, cycles), and two different values could then look
 * equal — a rotated `Secret` prints `[redacted]` both times.
 */
export function plainJsonProblem(value: unknown): PlainJsonProblem | undefined {
  return problemAt(value, '', []);
}

// With the u flag a surrogate pair is one code point, so only a lone half matches.
const loneSurrogate = /\p{Cs}/u;

function problemAt(
  value: unknown,
  path: string,
  ancestors: readonly object[],
): PlainJsonProblem | undefined {
  const found = (what: string): PlainJsonProblem => ({ path, found: what });
  if (value === null || typeof value === 'boolean') return undefined;
  if (typeof value === 'string') {
    return loneSurrogate.test(value) ? found('a string with a lone surrogate') : undefined;
  }
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : found(String(value));
  if (typeof value === 'bigint') return found('a BigInt');
  if (typeof value === 'undefined') return found('undefined');
  if (typeof value !== 'object') return found(`a ${typeof value}`);
  if (ancestors.includes(value)) return found('a reference back to one of its parents (a cycle)');
  const inner = [...ancestors, value];
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index += 1) {
      const problem = problemAt(value[index], `${path}[${index}]`, inner);
      if (problem !== undefined) return problem;
    }
    return undefined;
  }
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return found(nameOf(value));
  if ('toJSON' in value) return found('an object with its own toJSON');
  for (const [key, child] of Object.entries(value)) {
    if (child === undefined) continue;
    const problem = problemAt(child, `${path}.${key}`, inner);
    if (problem !== undefined) return problem;
  }
  return undefined;
}

function nameOf(value: object): string {
  const name: unknown = value.constructor?.name;
  return typeof name === 'string' && name !== ''
    ? `a ${name}`
    : 'an object with a custom prototype';
}
