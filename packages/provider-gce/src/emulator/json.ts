/** A JSON value as it travels over the REST API and sits in the emulator's world. */
export type Json = null | boolean | number | string | Json[] | JsonObject;

/** A JSON object: every resource, request body and response of the emulator is one. */
export interface JsonObject {
  [key: string]: Json;
}

/** True when a JSON value is an object (not an array, not null). */
export function isJsonObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The object at `key`, or an empty object when the field is missing or not an object. */
export function objectField(obj: JsonObject, key: string): JsonObject {
  const value = obj[key];
  return isJsonObject(value) ? value : {};
}

/** The array at `key`, or an empty array when the field is missing or not an array. */
export function arrayField(obj: JsonObject, key: string): Json[] {
  const value = obj[key];
  return Array.isArray(value) ? value : [];
}

/** The string at `key`, or `undefined`. */
export function stringField(obj: JsonObject, key: string): string | undefined {
  const value = obj[key];
  return typeof value === 'string' ? value : undefined;
}

/**
 * The number at `key`: GCE sends 64-bit integers as strings and 32-bit ones as numbers, so both
 * are accepted.
 */
export function numberField(obj: JsonObject, key: string): number | undefined {
  const value = obj[key];
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) {
    return Number(value);
  }
  return undefined;
}

/** A deep copy, so stored resources never share structure with a request or a response. */
export function cloneJson<T extends Json>(value: T): T {
  return structuredClone(value);
}
