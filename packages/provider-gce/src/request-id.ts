import { createHash } from 'node:crypto';
import type { OperationContext } from '@hakoc/core';

/**
 * The `requestId` of one GCE mutation: a name-based UUID (RFC 9562 version 8) from the engine's
 * request id and which call of the step it is, so a step's several mutations each have their
 * own id and a retried one repeats its id. GCE answers a repeated id with the first operation,
 * even a failed one; errors known to have changed nothing say so (`noEffect`), and the engine
 * then starts the step afresh with a new request id.
 */
export function requestIdFor(ctx: OperationContext, call: string): string {
  const hex = createHash('sha256').update([ctx.requestId, call].join('\0')).digest('hex');
  const variant = ((Number.parseInt(hex.charAt(16), 16) & 0x3) | 0x8).toString(16);
  return [
    hex.slice(0, 8),
    hex.slice(8, 12),
    `8${hex.slice(13, 16)}`,
    `${variant}${hex.slice(17, 20)}`,
    hex.slice(20, 32),
  ].join('-');
}
