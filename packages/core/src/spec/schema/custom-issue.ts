import type * as z from 'zod';

/**
 * A zod issue carrying one of our stable diagnostic codes. Structural rules that must run
 * inside the schema (they decide the parsed type) report through this, so the zod-issue mapper
 * can turn them into diagnostics with the right code and hint.
 */
export function customIssue(
  code: string,
  message: string,
  hint: string,
  path: (string | number)[] = [],
): z.core.$ZodRawIssue {
  return { code: 'custom', message, path, params: { code, hint }, input: undefined };
}
