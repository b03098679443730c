/** How a role stands. */
export type RoleCondition = 'ok' | 'degraded' | 'missing';

/** One machine of a role, as the provider reports it. */
export interface MachineStatus {
  /** Machine (instance, VM, member) name. */
  readonly name: string;
  /** What the provider says of it: a VM state, or whether its configuration is in place. */
  readonly state: string;
  /** Its address, when known. */
  readonly ip?: string;
  /** Its zone (GCE). */
  readonly zone?: string;
}

/** How many machines of a load balancer's backend group in one zone pass its health check. */
export interface BackendStatus {
  /** The backend group. */
  readonly group: string;
  /** The zone. */
  readonly zone: string;
  /** Machines the load balancer finds healthy. */
  readonly healthy: number;
  /** Machines it reports on. */
  readonly total: number;
}

/** One role of the cluster: etcd, the control plane, the workers, the API load balancer. */
export interface RoleStatus {
  /** The role's name as shown. */
  readonly role: string;
  /** `ok`: as the spec says; `degraded`: exists, something is off; `missing`: nothing exists. */
  readonly condition: RoleCondition;
  /** One line on what exists, for example "3 of 3 members". */
  readonly summary: string;
  /** What is off, one entry per problem. */
  readonly problems: readonly string[];
  /** Its machines, where the provider knows them individually. */
  readonly machines: readonly MachineStatus[];
  /** A load balancer's backends by group and zone, where the provider reports their health. */
  readonly backends?: readonly BackendStatus[];
}

/** A role whose condition follows from whether it exists and the problems found. */
export function roleStatus(
  role: string,
  exists: boolean,
  summary: string,
  problems: readonly string[],
  machines: readonly MachineStatus[] = [],
): RoleStatus {
  const condition: RoleCondition = !exists ? 'missing' : problems.length > 0 ? 'degraded' : 'ok';
  return { role, condition, summary, problems, machines };
}
