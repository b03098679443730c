import { HakocError, type HakocErrorOptions, isHakocError } from '@hakoc/certs';

/** The stable code of a plan made against a cloud that has changed since. */
export const PLAN_STALE_CODE = 'HAKOC_PLAN_STALE';

/** The stable code of a plan document that cannot be used (wrong version, wrong shape). */
export const PLAN_INVALID_CODE = 'HAKOC_PLAN_INVALID';

/** A plan cannot be applied: it is stale or malformed. */
export class PlanError extends HakocError {
  constructor(
    code: typeof PLAN_STALE_CODE | typeof PLAN_INVALID_CODE,
    message: string,
    options: HakocErrorOptions = {},
  ) {
    super(code, message, options);
    this.name = 'PlanError';
  }
}

/** True for a stale-plan {@link PlanError} from any copy of `@hakoc/core`. */
export function isStalePlanError(error: unknown): error is PlanError {
  return isHakocError(error) && error.code === PLAN_STALE_CODE;
}

/** True for a malformed-plan {@link PlanError} from any copy of `@hakoc/core`. */
export function isInvalidPlanError(error: unknown): error is PlanError {
  return isHakocError(error) && error.code === PLAN_INVALID_CODE;
}
