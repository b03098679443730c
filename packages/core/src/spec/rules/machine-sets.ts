import type { Diagnostic } from '../diagnostic.js';
import { error, rule, warning } from './rule.js';

/** A machine type name as Compute Engine spells them: `e2-small`, `n2-custom-4-8192`. */
const MACHINE_TYPE = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/** etcd needs a majority to work, so an even member count adds a machine but no tolerance. */
export const etcdCount = rule(['etcd'], ({ etcd }) => {
  const path = ['spec', 'etcd', 'count'];
  if (etcd.count === 1) {
    return [
      warning(
        'etcd.singleMember',
        path,
        'a single etcd member is not highly available',
        'fine for development; use 3 or 5 members for a cluster that must survive a machine loss',
      ),
    ];
  }
  if (etcd.count % 2 === 0) {
    return [
      error(
        'etcd.evenCount',
        path,
        `etcd count ${etcd.count} is even`,
        `${etcd.count} members tolerate no more failures than ${etcd.count - 1}; use ${etcd.count - 1} or ${etcd.count + 1}`,
      ),
    ];
  }
  return [];
});

/** Autoscaling bounds must leave the autoscaler room. */
export const workerBounds = rule(['workers'], ({ workers }) =>
  'min' in workers && workers.min > workers.max
    ? [
        error(
          'workers.minAboveMax',
          ['spec', 'workers', 'min'],
          `min (${workers.min}) is greater than max (${workers.max})`,
          'make min at most max',
        ),
      ]
    : [],
);

/** Machine types are Compute Engine resource names, which have at most 63 characters. */
const MACHINE_TYPE_MAX_LENGTH = 63;

function machineType(role: string, type: string): Diagnostic[] {
  return MACHINE_TYPE.test(type) && type.length <= MACHINE_TYPE_MAX_LENGTH
    ? []
    : [
        error(
          'machineType.invalid',
          ['spec', role, 'machineType'],
          `"${type}" is not a machine type name`,
          'use a Compute Engine machine type such as e2-standard-2',
        ),
      ];
}

/** Machine types are names, not free text. */
export const machineTypes = [
  rule(['etcd'], ({ etcd }) => machineType('etcd', etcd.machineType)),
  rule(['controlPlane'], ({ controlPlane }) =>
    machineType('controlPlane', controlPlane.machineType),
  ),
  rule(['workers'], ({ workers }) => machineType('workers', workers.machineType)),
];
