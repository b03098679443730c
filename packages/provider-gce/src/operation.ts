import type { protos } from '@google-cloud/compute/build/src/index.js';

/** A compute long-running operation, as the clients return it. */
export type Operation = protos.google.cloud.compute.v1.IOperation;

/**
 * The operation a compute mutation started. The clients' typings promise an `LROperation`;
 * what compute's REST transport really resolves to is `[{ latestResponse: Operation }]`. This
 * is the one place that shape is narrowed.
 */
export async function operationOf(call: Promise<unknown>): Promise<Operation> {
  const result = await call;
  const first: unknown = Array.isArray(result) ? result[0] : undefined;
  if (typeof first === 'object' && first !== null && 'latestResponse' in first) {
    const { latestResponse } = first as { latestResponse: unknown };
    if (typeof latestResponse === 'object' && latestResponse !== null) {
      return latestResponse as Operation;
    }
  }
  throw new Error('A compute mutation did not resolve to [{ latestResponse: Operation }].');
}

/** The last path segment of a URL or path (`…/zones/europe-west1-b` → `europe-west1-b`). */
export function lastSegment(ref: string | null | undefined): string {
  return ref?.split('/').pop() ?? '';
}
