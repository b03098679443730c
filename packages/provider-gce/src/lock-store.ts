import { randomUUID } from 'node:crypto';
import {
  isProviderError,
  type LockRecord,
  type LockStore,
  type PendingLock,
  type ProviderContext,
  resourceName,
} from '@hakoc/core';
import type { GceApi } from './gce-api.js';
import { gceFailure } from './gce-errors.js';
import { ignoreNotFound } from './gce-resource-type.js';
import type { Operation } from './operation.js';
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

/** GCE's list filter for operations that delete something and have not finished. */
const PENDING_DELETES = '(operationType = "delete") (status != "DONE")';

/**
 * The cluster lock as a global health check named `<cluster>-hakoc-lock` whose description
 * carries the ownership marker and the lock record. A health check costs nothing, uses no
 * address or CPU quota, and GCE's insert is atomic: a second insert of the name fails with
 * "already exists", which is exactly the lock's conflict. No resource type lists global health
 * checks, so plan and destroy never see it.
 *
 * Taking the lock returns once GCE accepted the insert (`begin`), so the engine reads the
 * cluster while the insert's operation finishes. Releasing starts the delete and does not wait
 * for it: until that operation is done the check still exists, so `read` reports no lock when a
 * delete of it is under way, and an insert that meets it waits for the delete and tries again.
 */
export function gceLockStore(api: GceApi): LockStore {
  const site = (resource: string) => ({ operation: 'lock' as const, resource });
  const pendingDelete = async (ctx: ProviderContext): Promise<Operation | undefined> => {
    const name = lockName(ctx.owner.cluster);
    const [operations] = await api.call(site(name), ctx.signal, (c) =>
      c.globalOperations.list(
        { project: api.project, filter: PENDING_DELETES },
        { autoPaginate: false },
      ),
    );
    return operations.find((operation) =>
      (operation.targetLink ?? '').endsWith(`/global/healthChecks/${name}`),
    );
  };
  const listCheck = async (ctx: ProviderContext) => {
    const name = lockName(ctx.owner.cluster);
    // A filtered list rather than a get: no lock is the usual answer, and the compute client
    // spends a few hundred milliseconds of CPU decoding every error response, 404s included.
    const [checks] = await api.call(site(name), ctx.signal, (c) =>
      c.healthChecks.list(
        { project: api.project, filter: `name = "${name}"` },
        { autoPaginate: false },
      ),
    );
    return checks.find((found) => found.name === name);
  };
  const read = async (ctx: ProviderContext): Promise<LockRecord | undefined> => {
    const name = lockName(ctx.owner.cluster);
    let check = await listCheck(ctx);
    if (check === undefined) return undefined;
    if (!ownedBy(labelsOfDescription(check.description), ctx.owner)) {
      throw gceFailure(
        `A health check named ${name} exists without cluster ${ctx.owner.cluster}'s marker.`,
        site(name),
        'conflict',
        'It is not a hakoc lock; rename it or choose another cluster name.',
      );
    }
    // Released: its holder started the delete and did not wait for it.
    if ((await pendingDelete(ctx)) !== undefined) return undefined;
    // No delete under way: none was, or one finished since the check was listed. Only a
    // second look tells which.
    check = await listCheck(ctx);
    if (check === undefined) return undefined;
    return parseRecord(check.description);
  };
  const insert = (ctx: ProviderContext, lock: LockRecord): Promise<Operation> => {
    const name = lockName(ctx.owner.cluster);
    return api.start(site(name), ctx.signal, (c) =>
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
  };
  const begin = async (ctx: ProviderContext, lock: LockRecord): Promise<PendingLock> => {
    const name = lockName(ctx.owner.cluster);
    let started: Operation | undefined;
    for (let attempt = 1; started === undefined; attempt++) {
      try {
        started = await insert(ctx, lock);
      } catch (error) {
        if (!isProviderError(error) || error.reason !== 'conflict' || attempt >= 3) throw error;
        // The previous holder's delete may still be running: wait for it (should it fail, the
        // next insert meets the check again) and insert once more. Without one, the check is
        // someone's lock, unless its delete finished since the insert.
        const deleting = await pendingDelete(ctx);
        if (deleting !== undefined)
          await api.wait(site(name), ctx.signal, deleting).catch(() => {});
        else if ((await read(ctx)) !== undefined) throw error;
      }
    }
    const confirmed = api.wait(site(name), ctx.signal, started).then(() => undefined);
    // The engine attaches its own handlers a few ticks later; a rejection before then is not lost.
    confirmed.catch(() => {});
    return { confirmed };
  };
  return {
    read,
    begin,
    async create(ctx, lock) {
      await (await begin(ctx, lock)).confirmed;
    },
    async delete(ctx, lock) {
      const name = lockName(ctx.owner.cluster);
      const held = await read(ctx);
      if (held === undefined || held.id !== lock.id) return;
      // Started, not waited for: `read` and `begin` treat a check being deleted as gone.
      await ignoreNotFound(
        api.start(site(name), ctx.signal, (c) =>
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
