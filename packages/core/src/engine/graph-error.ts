import { HakocError, isHakocError } from '@hakoc/certs';

/** The stable code of a desired graph the engine cannot plan. */
export const GRAPH_INVALID_CODE = 'HAKOC_GRAPH_INVALID';

/**
 * A provider's desired graph is unusable: a duplicate or unknown resource, a missing or
 * out-of-order dependency, a cycle. A provider bug, never the user's input.
 */
export class GraphError extends HakocError {
  /** Every problem found, one sentence each. */
  readonly problems: readonly string[];

  constructor(provider: string, problems: readonly string[]) {
    super(
      GRAPH_INVALID_CODE,
      `Provider "${provider}" returned an invalid graph: ${problems.join(' ')}`,
    );
    this.name = 'GraphError';
    this.problems = problems;
  }
}

/** True for a {@link GraphError} from any copy of `@hakoc/core`. */
export function isGraphError(error: unknown): error is GraphError {
  return isHakocError(error) && error.code === GRAPH_INVALID_CODE;
}
