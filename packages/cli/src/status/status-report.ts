import type { LockRecord } from '@hakoc/core';
import { isComplete, type ResourceTypeStatus } from './resource-status.js';
import type { RoleStatus } from './role-status.js';

/** What `hakoc status` found: the JSON it prints with `--json`. */
export interface StatusReport {
  /** The cluster name. */
  readonly cluster: string;
  /** The provider name. */
  readonly provider: string;
  /** True when every object exists as the spec says, nothing is extra and every role is ok. */
  readonly healthy: boolean;
  /** Each resource type's objects by how they stand. */
  readonly resources: readonly ResourceTypeStatus[];
  /** Each role. */
  readonly roles: readonly RoleStatus[];
  /** The cluster lock, when an apply or destroy holds it (or one that died left it). */
  readonly lock: LockRecord | null;
}

/** The report, its verdict taken from the resources and the roles. */
export function statusReport(
  parts: Omit<StatusReport, 'healthy' | 'lock'> & { readonly lock: LockRecord | undefined },
): StatusReport {
  const healthy = isComplete(parts.resources) && parts.roles.every((r) => r.condition === 'ok');
  return { ...parts, healthy, lock: parts.lock ?? null };
}
