import * as z from 'zod';
import { customIssue } from './custom-issue.js';
import { schemaFor } from './schema-for.js';

/** The size of each machine of a set. */
export interface MachineSizing {
  /**
   * Compute Engine machine type, for example `e2-standard-2`; Vagrant ignores it (its VMs are sized by role).
   * Defaults: `e2-small` for etcd, `e2-standard-2` for the control plane, `e2-standard-4` for
   * workers.
   */
  machineType: string;
  /** Boot disk size in GB. Defaults: 20 for etcd, 50 for the control plane, 100 for workers. */
  diskSizeGb: number;
}

/** `spec.etcd`: the etcd members, on machines of their own. */
export interface EtcdSpec extends MachineSizing {
  /**
   * Number of members: 3 or 5 for a highly available cluster, 1 for development.
   * @default 3
   */
  count: number;
  /** Periodic snapshots each member takes of its own database, kept on its data disk. */
  snapshots: EtcdSnapshotSpec;
}

/** `spec.etcd` as written: every field may be left out, snapshot settings one by one. */
export type EtcdSpecInput = Partial<Omit<EtcdSpec, 'snapshots'>> & {
  snapshots?: Partial<EtcdSnapshotSpec>;
};

/** `spec.etcd.snapshots`: how often members snapshot their database and how many they keep. */
export interface EtcdSnapshotSpec {
  /**
   * Minutes between two snapshots of a member.
   * @default 60
   */
  intervalMinutes: number;
  /**
   * Snapshots each member keeps; older ones are deleted after a new one is saved.
   * @default 24
   */
  retain: number;
}

/** `spec.controlPlane`: the API server, controller manager and scheduler machines. */
export interface ControlPlaneSpec extends MachineSizing {
  /**
   * Number of control-plane machines behind the API load balancer.
   * @default 3
   */
  count: number;
}

/** A worker pool of a fixed size. */
export interface FixedWorkerPool {
  /** Number of workers. */
  count: number;
}

/** A worker pool the platform scales on CPU load (Vagrant runs `min` workers). */
export interface AutoscaledWorkerPool {
  /** Fewest workers. */
  min: number;
  /** Most workers. */
  max: number;
  /**
   * Average CPU utilisation (0 to 1) the autoscaler aims for.
   * @default 0.6
   */
  cpuTarget: number;
}

/** The parsed worker pool size: tell the two apart with `'count' in workers`. */
export type WorkerPoolSize = FixedWorkerPool | AutoscaledWorkerPool;

/** The parsed `spec.workers` section. */
export type WorkersSpec = MachineSizing & WorkerPoolSize;

/** `spec.workers` as written: a count, or min and max (and optionally cpuTarget). */
export type WorkersSpecInput = Partial<MachineSizing> &
  (FixedWorkerPool | (Omit<AutoscaledWorkerPool, 'cpuTarget'> & Partial<AutoscaledWorkerPool>));

/** Most machines a single set may ask for; far beyond any cluster hakoc is meant for. */
const MAX_MACHINES = 1000;

const machineType = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .describe(
      'Compute Engine machine type, for example e2-standard-2. Vagrant ignores it and sizes its VMs by role.',
    );

const diskSizeGb = (fallback: number) =>
  z.number().int().min(10).max(65536).default(fallback).describe('Boot disk size in GB.');

/** Most members `spec.etcd.count` allows. */
export const MAX_ETCD_MEMBERS = 9;

/** The schema of {@link EtcdSnapshotSpec}. */
export const etcdSnapshotSchema = schemaFor<EtcdSnapshotSpec>()(
  z
    .strictObject({
      intervalMinutes: z
        .number()
        .int()
        .min(5)
        .max(1440)
        .default(60)
        .describe('Minutes between two snapshots of a member.'),
      retain: z
        .number()
        .int()
        .min(1)
        .max(1000)
        .default(24)
        .describe('Snapshots each member keeps; older ones are deleted after a new one is saved.'),
    })
    .prefault({})
    .describe(
      'Periodic snapshots each etcd member takes of its own database, kept on its data disk.',
    ),
);

/** The schema of {@link EtcdSpec}. */
export const etcdSchema = schemaFor<EtcdSpec>()(
  z
    .strictObject({
      count: z
        .number()
        .int()
        .min(1)
        .max(MAX_ETCD_MEMBERS)
        .default(3)
        .describe(
          'Number of etcd members: 3 or 5 for a highly available cluster, 1 for development.',
        ),
      machineType: machineType('e2-small'),
      diskSizeGb: diskSizeGb(20),
      snapshots: etcdSnapshotSchema,
    })
    .prefault({})
    .describe('The etcd cluster, on machines of its own.'),
);

/** The schema of {@link ControlPlaneSpec}. */
export const controlPlaneSchema = schemaFor<ControlPlaneSpec>()(
  z
    .strictObject({
      count: z
        .number()
        .int()
        .min(1)
        .max(MAX_MACHINES)
        .default(3)
        .describe('Number of control-plane machines behind the API load balancer.'),
      machineType: machineType('e2-standard-2'),
      diskSizeGb: diskSizeGb(50),
    })
    .prefault({})
    .describe('The control plane, behind a load balancer.'),
);

/** Default CPU utilisation the worker autoscaler aims for. */
export const DEFAULT_WORKER_CPU_TARGET = 0.6;

const sizeHint = 'set count for a fixed pool, or min and max for an autoscaled one';

/** The schema of `spec.workers`: a fixed pool or an autoscaled one. */
export const workersSchema = z
  .strictObject({
    count: z
      .number()
      .int()
      .min(1)
      .max(MAX_MACHINES)
      .exactOptional()
      .describe('A fixed number of workers. Leave out and set min and max to autoscale.'),
    min: z
      .number()
      .int()
      .min(0)
      .max(MAX_MACHINES)
      .exactOptional()
      .describe('Fewest workers the autoscaler keeps. Vagrant runs exactly this many.'),
    max: z
      .number()
      .int()
      .min(1)
      .max(MAX_MACHINES)
      .exactOptional()
      .describe('Most workers the autoscaler may start.'),
    cpuTarget: z
      .number()
      .gt(0)
      .max(1)
      .exactOptional()
      .meta({ default: DEFAULT_WORKER_CPU_TARGET })
      .describe('Average CPU utilisation (0 to 1) the autoscaler aims for. Only with min and max.'),
    machineType: machineType('e2-standard-4'),
    diskSizeGb: diskSizeGb(100),
  })
  .transform((workers, ctx): WorkersSpec => {
    const { count, min, max, cpuTarget, machineType, diskSizeGb } = workers;
    const autoscaled = min !== undefined || max !== undefined;
    if (count !== undefined && autoscaled) {
      ctx.issues.push(
        customIssue('workers.countAndRange', 'both count and min/max are set', sizeHint),
      );
    } else if (count !== undefined) {
      if (cpuTarget === undefined) return { count, machineType, diskSizeGb };
      ctx.issues.push(
        customIssue(
          'workers.cpuTargetWithoutAutoscaling',
          'cpuTarget only applies to an autoscaled pool',
          'remove cpuTarget, or replace count with min and max',
          ['cpuTarget'],
        ),
      );
    } else if (min !== undefined && max !== undefined) {
      return {
        min,
        max,
        cpuTarget: cpuTarget ?? DEFAULT_WORKER_CPU_TARGET,
        machineType,
        diskSizeGb,
      };
    } else {
      ctx.issues.push(
        customIssue(
          autoscaled ? 'workers.rangeIncomplete' : 'workers.size',
          autoscaled ? 'an autoscaled pool needs both min and max' : 'the pool has no size',
          sizeHint,
        ),
      );
    }
    return z.NEVER;
  })
  .meta({ oneOf: [{ required: ['count'] }, { required: ['min', 'max'] }] })
  .describe('The worker machines: a fixed `count`, or `min` and `max` to autoscale on CPU.');

/** The most workers a pool can have: its count, or its autoscaling maximum. */
export function mostWorkers(workers: WorkersSpec): number {
  return 'count' in workers ? workers.count : Math.max(workers.min, workers.max);
}

/** The workers a pool starts with: its count, or its autoscaling minimum. */
export function fewestWorkers(workers: WorkersSpec): number {
  return 'count' in workers ? workers.count : workers.min;
}
