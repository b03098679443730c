import { HakocError } from '@hakoc/certs';
import { z } from 'zod';

/** The stable code of engine options that make no sense (`concurrency: 0`, `retries: -1`). */
export const OPTIONS_INVALID_CODE = 'HAKOC_OPTIONS_INVALID';

const count = (least: number) => z.number().int().min(least).max(Number.MAX_SAFE_INTEGER);
const milliseconds = z.number().min(0).max(Number.MAX_SAFE_INTEGER);

// Only the fields with numbers in them: everything else is typed well enough by TypeScript, and
// these are the ones that reach p-queue and p-retry, whose own errors do not say which option.
const engineOptions = z.looseObject({
  concurrency: count(1).optional(),
  retry: z
    .looseObject({
      retries: count(0).optional(),
      minDelayMs: milliseconds.optional(),
      maxDelayMs: milliseconds.optional(),
      factor: z.number().min(1).max(1000).optional(),
      maxRetryTimeMs: milliseconds.optional(),
    })
    .optional(),
  timeouts: z
    .looseObject({
      stepMs: milliseconds.positive().optional(),
      settleMs: milliseconds.optional(),
    })
    .optional(),
});

/**
 * Checks the numbers in an engine call's options.
 *
 * @throws HakocError `HAKOC_OPTIONS_INVALID` naming every option out of range.
 */
export function checkEngineOptions(options: object): void {
  const result = engineOptions.safeParse(options);
  if (result.success) return;
  const problems = result.error.issues.map((issue) => {
    const value = issue.path.reduce<unknown>(
      (at, key) => (at !== null && typeof at === 'object' ? Reflect.get(at, key) : undefined),
      options,
    );
    return `${['options', ...issue.path.map(String)].join('.')} ${describeIssue(issue)} (got ${String(value)})`;
  });
  throw new HakocError(OPTIONS_INVALID_CODE, `Invalid engine options: ${problems.join('; ')}.`, {
    hint: 'concurrency is a whole number from 1, retries a whole number from 0, times are milliseconds from 0.',
  });
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'too_small') {
    return `must be ${issue.inclusive ? 'at least' : 'more than'} ${String(issue.minimum)}`;
  }
  if (issue.code === 'too_big') return `must be at most ${String(issue.maximum)}`;
  if (issue.code === 'invalid_type') {
    return issue.expected === 'int' ? 'must be a whole number' : `must be a ${issue.expected}`;
  }
  return issue.message;
}
