import { deterministicRequestId, type OperationContext } from '@hakoc/core';

/**
 * The `requestId` of one GCE mutation: a name-based UUID (RFC 9562 version 8) from the engine's
 * request id and which call of the step it is, so a step's several mutations each have their
 * own id and a retried one repeats its id. GCE answers a repeated id with the first operation,
 * even a failed one; errors known to have changed nothing say so (`noEffect`), and the engine
 * then starts the step afresh with a new request id.
 */
export function requestIdFor(ctx: OperationContext, call: string): string {
  return deterministicRequestId([ctx.requestId, call]);
}
