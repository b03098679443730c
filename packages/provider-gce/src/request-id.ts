import { createHash } from 'node:crypto';
import type { OperationContext } from '@hakoc/core';

/**
 * The `requestId` of one GCE mutation: a name-based UUID (RFC 9562 version 8) from the engine's
 * request id, the attempt and which call of the step it is. GCE answers a repeated request id
 * with the first operation, even a failed one, so a retry after a failed operation needs a new
 * id; one after a lost answer is caught by "already exists" and adopted instead.
 */
export function requestIdFor(ctx: OperationContext, call: string): string {
  const hex = createHash('sha256')
    .update([ctx.requestId, String(ctx.attempt), call].join('\0'))
    .digest('hex');
  const variant = ((Number.parseInt(hex.charAt(16), 16) & 0x3) | 0x8).toString(16);
  return [
    hex.slice(0, 8),
    hex.slice(8, 12),
    `8${hex.slice(13, 16)}`,
    `${variant}${hex.slice(17, 20)}`,
    hex.slice(20, 32),
  ].join('-');
}
