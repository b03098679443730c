import { collectionPath, listReply, resourcePath } from '../collection.js';
import { type HandlerContext, ok, type Reply } from '../context.js';

/**
 * Global, regional and zonal operations: get, list, wait and delete. `wait` answers as soon as
 * the operation is `DONE`, or with the still-running operation once the emulator's wait timeout
 * (GCE: about two minutes) has passed.
 */
export const operations = {
  get: (ctx: HandlerContext): Reply => ok(ctx.env.world.require(resourcePath(ctx))),
  list: (ctx: HandlerContext): Reply =>
    listReply(ctx, 'compute#operationList', ctx.env.world.list(collectionPath(ctx))),
  delete(ctx: HandlerContext): Reply {
    const path = resourcePath(ctx);
    ctx.env.world.require(path);
    ctx.env.world.remove(path);
    return { status: 204, body: undefined };
  },
  verbs: {
    async wait(ctx: HandlerContext): Promise<Reply> {
      const path = resourcePath(ctx);
      ctx.env.world.require(path);
      await ctx.env.operations.wait(path, ctx.env.waitTimeoutMs);
      return ok(ctx.env.world.require(path));
    },
  },
};
