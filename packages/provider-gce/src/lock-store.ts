import { randomUUID } from 'node:crypto';
import { type LockRecord, type LockStore, type ProviderContext, resourceName } from '@hakoc/core';
import type { GceApi } from './gce-api.js';
import { gceFailure } from './gce-errors.js';
import { ignoreNotFound } from './gce-resource-type.js';
import { labelsOfDescription, ownedBy, ownedDescription } from './ownership.js';

/** The role word in the lock's description marker. */
const LOCK_ROLE = 'lock';

/** The name of the lock object of a cluster. */
export function lockName(cluster: string): string {
  return resourceName(cluster, 'hakoc-lock');
}

function parseRecord(description: string | null | undefined): LockRecord | undefined {
  const json = (description ?? '').replace(/^[^:]*: /, '');
  try {
    const value: unknown = JSON.parse(json);
    if (typeof value !== 'object' || value === null) return undefined;
    const record = value as Partial<LockRecord>;
    if (typeof record.id !== 'string' || typeof record.holder !== 'string') return undefined;
    return value as LockRecord;
  } catch {
    return undefined;
  }
}

/**
 * The cluster lock as a global health check named `<cluster>-hakoc-lock` whose description
 * carries the ownership marker and the lock record. A health check costs nothing, uses no
 * address or CPU quota, and GCE's insert is atomic: a second insert of the name fails with
 * "already exists", which is exactly the lock's conflict. No resource type lists global health
 * checks, so plan and destroy never see it.
 */
export function gceLockStore(api: GceApi): LockStore {
  const site = (resource: string) => ({ operation: 'lock' as const, resource });
  const read = async (ctx: ProviderContext): Promise<LockRecord | undefined> => {
    const name = lockName(ctx.owner.cluster);
    // A filtered list rather than a get: no lock is the usual answer, and the compute client
    // spends a few hundred milliseconds of CPU decoding every error response, 404s included.
    const [checks] = await api.call(site(name), ctx.signal, (c) =>
      c.healthChecks.list(
        { project: api.project, filter: `name = "${name}"` },
        { autoPaginate: false },
      ),
    );
    const check = checks.find((found) => found.name === name);
    if (check === undefined) return undefined;
    if (!ownedBy(labelsOfDescription(check.description), ctx.owner)) {
      throw gceFailure(
        `A health check named ${name} exists without cluster ${ctx.owner.cluster}'s marker.`,
        site(name),
        'conflict',
        'It is not a hakoc lock; rename it or choose another cluster name.',
      );
    }
    return parseRecord(check.description);
  };
  return {
    read,
    async create(ctx, lock) {
      const name = lockName(ctx.owner.cluster);
      await api.mutate(site(name), ctx.signal, (c) =>
        c.healthChecks.insert({
          project: api.project,
          requestId: randomUUID(),
          healthCheckResource: {
            name,
            description: ownedDescription(ctx.owner, JSON.stringify(lock), LOCK_ROLE),
            type: 'TCP',
            tcpHealthCheck: { port: 1 },
          },
        }),
      );
    },
    async delete(ctx, lock) {
      const name = lockName(ctx.owner.cluster);
      const held = await read(ctx);
      if (held === undefined || held.id !== lock.id) return;
      await ignoreNotFound(
        api.mutate(site(name), ctx.signal, (c) =>
          c.healthChecks.delete({
            project: api.project,
            healthCheck: name,
            requestId: randomUUID(),
          }),
        ),
      );
    },
  };
}
