import type * as z from 'zod';

/** True when `A` and `B` have the same keys and each is assignable to the other. */
type Same<A, B> = [A, keyof A] extends [B, keyof B]
  ? [B, keyof B] extends [A, keyof A]
    ? true
    : false
  : false;

/**
 * Ties a zod schema to the documented interface of what it parses to. It returns the schema
 * unchanged, and does not compile when the schema's output and `T` differ in a property or its
 * type, so the interface (which carries the TSDoc) can never drift from the schema.
 */
export function schemaFor<T>() {
  return <S extends z.ZodType>(
    schema: S & (Same<z.output<S>, T> extends true ? unknown : never),
  ): S => schema;
}

/** `T` with the properties `K` optional: the input form of a section whose `K` have defaults. */
export type WithDefaults<T, K extends keyof T> = Omit<T, K> & Partial<Pick<T, K>>;
