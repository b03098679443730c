import type { Diagnostic } from './diagnostic.js';
import { error } from './rules/rule.js';

/** The stable code of a value that is not plain data (a Map, a class instance, a cycle …). */
export const NOT_PLAIN_DATA = 'spec.notPlainData';

/**
 * Deeper than any real spec (about six levels); the limit keeps a hostile, very deep object
 * from overflowing the stack of this walk or of the schema after it.
 */
const MAX_DEPTH = 64;

/** A document copied to plain data, and a diagnostic for every part that could not be. */
export interface PlainData {
  /** The copy: only plain objects, arrays, strings, numbers, booleans, null and undefined. */
  readonly value: unknown;
  /** One `spec.notPlainData` error per value left out of the copy. */
  readonly diagnostics: Diagnostic[];
}

type Path = readonly (string | number)[];

/**
 * Copies a document given as an object into plain JSON-like data, never throwing. Only own
 * enumerable string-keyed properties are read, so a getter runs at most once and inherited
 * properties are never taken for fields. Values a YAML or JSON author could not have written
 * (a Map, Set, Date, class instance, function, symbol, bigint, a cycle, or a property whose
 * getter throws) are left out and reported at their path, so the schema after this only ever
 * sees data it was written for and the caller learns exactly which field to fix.
 */
export function toPlainData(input: unknown): PlainData {
  const diagnostics: Diagnostic[] = [];
  const reject = (path: Path, what: string): undefined => {
    diagnostics.push(
      error(
        NOT_PLAIN_DATA,
        path,
        `expected plain data (a mapping, list, text, number, true/false or null), got ${what}`,
        'pass the spec as plain objects and arrays, as JSON.parse or a YAML parser returns it',
      ),
    );
    return undefined;
  };
  /** `ancestors` holds the containers on the way down, to tell a cycle from a shared value. */
  const copy = (value: unknown, path: Path, ancestors: Set<object>): unknown => {
    switch (typeof value) {
      case 'string':
      case 'number':
      case 'boolean':
      case 'undefined':
        return value;
      case 'bigint':
        return reject(path, `a bigint (${value}n)`);
      case 'symbol':
        return reject(path, 'a symbol');
      case 'function':
        return reject(path, 'a function');
    }
    if (value === null) return null;
    if (typeof value !== 'object') return reject(path, 'an unknown kind of value');
    if (ancestors.has(value))
      return reject(path, 'a reference to one of its own parents (a cycle)');
    if (ancestors.size >= MAX_DEPTH) {
      return reject(path, `a value nested more than ${MAX_DEPTH} levels deep`);
    }
    ancestors.add(value);
    try {
      const kind = containerKind(value);
      if (kind === 'array') return copyArray(value as readonly unknown[], path, ancestors);
      if (kind === 'object') return copyObject(value as Record<string, unknown>, path, ancestors);
      return reject(path, kind);
    } catch (thrown) {
      // Array.isArray, Object.getPrototypeOf or Object.keys throw only on a hostile or revoked
      // proxy; the value is then left out like any other that is not plain data.
      return reject(path, `an object that throws when inspected (${messageOf(thrown)})`);
    } finally {
      ancestors.delete(value);
    }
  };
  const copyArray = (array: readonly unknown[], path: Path, ancestors: Set<object>): unknown[] => {
    const result: unknown[] = [];
    const length = array.length;
    for (let index = 0; index < length; index++) {
      result.push(read(() => array[index], [...path, index], ancestors));
    }
    return result;
  };
  const copyObject = (
    object: Record<string, unknown>,
    path: Path,
    ancestors: Set<object>,
  ): Record<string, unknown> => {
    const result: Record<string, unknown> = {};
    for (const key of Object.keys(object)) {
      const item = read(() => object[key], [...path, key], ancestors);
      // defineProperty, not assignment: an own "__proto__" key must stay a key (and be
      // reported as an unknown field), not replace the copy's prototype.
      Object.defineProperty(result, key, {
        value: item,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return result;
  };
  /** Reads one property; a throwing getter or proxy trap becomes a diagnostic at its path. */
  const read = (get: () => unknown, path: Path, ancestors: Set<object>): unknown => {
    let item: unknown;
    try {
      item = get();
    } catch (thrown) {
      return reject(path, `a property that throws when read (${messageOf(thrown)})`);
    }
    return copy(item, path, ancestors);
  };
  return { value: copy(input, [], new Set()), diagnostics };
}

/** `'object'` or `'array'` for what plain data may hold, else a description of the value. */
function containerKind(value: object): string {
  if (Array.isArray(value)) {
    return Object.getPrototypeOf(value) === Array.prototype ? 'array' : 'a subclass of Array';
  }
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype === Object.prototype || prototype === null) return 'object';
  if (value instanceof Map) return 'a Map';
  if (value instanceof Set) return 'a Set';
  if (value instanceof Date) return 'a Date';
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return 'binary data';
  const name = constructorName(prototype);
  return name === undefined
    ? 'an object with a custom prototype (inherited properties are not read)'
    : `an instance of ${name}`;
}

function constructorName(prototype: unknown): string | undefined {
  try {
    const ctor: unknown =
      typeof prototype === 'object' && prototype !== null && Object.hasOwn(prototype, 'constructor')
        ? (prototype as { constructor: unknown }).constructor
        : undefined;
    return typeof ctor === 'function' && ctor.name !== '' ? ctor.name : undefined;
  } catch {
    return undefined;
  }
}

function messageOf(thrown: unknown): string {
  try {
    return thrown instanceof Error ? thrown.message : String(thrown);
  } catch {
    return 'an unprintable error';
  }
}
