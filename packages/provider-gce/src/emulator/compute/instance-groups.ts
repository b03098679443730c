import { collectionPath, listReply, resourcePath } from '../collection.js';
import { type HandlerContext, ok, type Reply } from '../context.js';
import { notFound } from '../errors.js';
import type { JsonObject } from '../json.js';
import { paginate } from '../paging.js';
import { selfLinkOf } from '../paths.js';
import type { World } from '../world.js';
import { instanceGroupPathOf, membersOf } from './mig-model.js';

function groupOf(world: World, migPath: string, mig: JsonObject): JsonObject {
  const group: JsonObject = {
    kind: 'compute#instanceGroup',
    id: String(mig.id),
    creationTimestamp: String(mig.creationTimestamp),
    name: String(mig.name),
    selfLink: selfLinkOf(instanceGroupPathOf(migPath)),
    region: String(mig.region),
    size: membersOf(world, migPath, mig).length,
    fingerprint: String(mig.fingerprint ?? ''),
  };
  if (Array.isArray(mig.namedPorts)) group.namedPorts = mig.namedPorts;
  return group;
}

function migPathOf(ctx: HandlerContext): string {
  return resourcePath(ctx).replace('/instanceGroups/', '/instanceGroupManagers/');
}

/**
 * Regional (unmanaged view of) instance groups: each regional MIG has one, which backend
 * services reference. Read-only here: get, list and listInstances.
 */
export const instanceGroups = {
  get(ctx: HandlerContext): Reply {
    const migPath = migPathOf(ctx);
    const mig = ctx.env.world.get(migPath);
    if (!mig) throw notFound(resourcePath(ctx));
    return ok(groupOf(ctx.env.world, migPath, mig));
  },
  list(ctx: HandlerContext): Reply {
    const base = collectionPath(ctx, 'instanceGroupManagers');
    const groups = ctx.env.world
      .list(base)
      .map((mig) => groupOf(ctx.env.world, `${base}/${String(mig.name)}`, mig));
    return listReply(ctx, 'compute#regionInstanceGroupList', groups);
  },
  verbs: {
    listInstances(ctx: HandlerContext): Reply {
      const migPath = migPathOf(ctx);
      const mig = ctx.env.world.get(migPath);
      if (!mig) throw notFound(resourcePath(ctx));
      const items = membersOf(ctx.env.world, migPath, mig).map((m) => ({
        instance: String(m.instance.selfLink),
        status: String(m.instance.status),
      }));
      const page = paginate(
        items.map((i) => ({ ...i, name: i.instance })),
        ctx.query,
      );
      const body: JsonObject = {
        kind: 'compute#regionInstanceGroupsListInstances',
        items: page.items.map(({ name: _name, ...rest }) => rest),
      };
      if (page.nextPageToken) body.nextPageToken = page.nextPageToken;
      return ok(body);
    },
  },
};
