/** The middle value (the lower middle for an even count); NaN for none. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)] ?? Number.NaN;
}

/** Smallest and largest value; NaN for none. */
export function range(values: readonly number[]): { readonly min: number; readonly max: number } {
  if (values.length === 0) return { min: Number.NaN, max: Number.NaN };
  return { min: Math.min(...values), max: Math.max(...values) };
}

/** Runs `task` `runs` times in a row and returns what each run resolved to. */
export async function repeat<T>(runs: number, task: (run: number) => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  for (let run = 0; run < runs; run += 1) results.push(await task(run));
  return results;
}

/** Milliseconds with one decimal. */
export const ms = (value: number): string => (Number.isFinite(value) ? value.toFixed(1) : 'n/a');

/** Milliseconds rounded to whole ones. */
export const wholeMs = (value: number): string =>
  Number.isFinite(value) ? Math.round(value).toString() : 'n/a';

/** A ratio with three decimals. */
export const ratio = (value: number): string => (Number.isFinite(value) ? value.toFixed(3) : 'n/a');

/** Bytes as MB (10^6), one decimal. */
export const megabytes = (bytes: number): string =>
  Number.isFinite(bytes) ? (bytes / 1e6).toFixed(1) : 'n/a';
