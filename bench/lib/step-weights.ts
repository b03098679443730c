import type { CostedOperation } from './operation-costs.ts';

/** Start and end of a step, epoch milliseconds. */
export interface StepWindow {
  readonly start: number;
  readonly end: number;
}

/** The least a step costs, and the operations that make it up. */
export interface StepWeight {
  /** Time during which at least one of its operations was running, at their table latencies. */
  readonly ms: number;
  /** Its operations, first started first. */
  readonly operations: readonly CostedOperation[];
}

/** Total length of the union of intervals `[start, end)`: overlapping time counted once. */
export function unionMs(
  intervals: readonly { readonly start: number; readonly end: number }[],
): number {
  const sorted = [...intervals].sort((a, b) => a.start - b.start);
  let total = 0;
  let reach = Number.NEGATIVE_INFINITY;
  for (const { start, end } of sorted) {
    if (end <= reach) continue;
    total += end - Math.max(start, reach);
    reach = end;
  }
  return total;
}

/**
 * What each step of a serial run waited for, and what that costs at the least. An operation
 * belongs to the step whose window it started in (the later one where two windows meet: a
 * step's first call can start in the millisecond its predecessor ended). What the client
 * started counts; what GCE started on its own (a group's VMs) counts where the step was still
 * running when it was done by the table, as the step then waited for it.
 *
 * A step's weight is the time during which at least one of its operations runs, each lasting
 * its table latency from when it started: operations one after another add up, operations the
 * provider runs side by side (a group's VM insert beside the group's own operation) count once.
 * The gaps between them are this process's own time and are left out.
 */
export function stepWeights(
  windows: ReadonlyMap<string, StepWindow>,
  operations: readonly CostedOperation[],
): Map<string, StepWeight> {
  const byStart = [...windows].sort(([, a], [, b]) => b.start - a.start);
  const owned = new Map<string, CostedOperation[]>([...windows.keys()].map((id) => [id, []]));
  for (const operation of operations) {
    const found = byStart.find(
      ([, w]) => operation.startedAt >= w.start && operation.startedAt <= w.end,
    );
    if (found === undefined) continue;
    const [id, window] = found;
    if (!operation.byClient && operation.startedAt + operation.nominalMs > window.end) continue;
    owned.get(id)?.push(operation);
  }
  const weights = new Map<string, StepWeight>();
  for (const [id, mine] of owned) {
    const ms = unionMs(
      mine.map((op) => ({ start: op.startedAt, end: op.startedAt + op.nominalMs })),
    );
    weights.set(id, { ms, operations: mine });
  }
  return weights;
}
