import type { CollectionHandlers, Handler } from '../collection.js';
import type { HandlerContext, Reply } from '../context.js';
import { unimplemented } from '../errors.js';
import type { JsonObject } from '../json.js';
import { paginate } from '../paging.js';
import { selfLinkOf } from '../paths.js';
import type { ComputePath } from '../router.js';
import { addresses, globalAddresses } from './addresses.js';
import { autoscalers } from './autoscalers.js';
import { backendServices } from './backend-services.js';
import { getProject, machineTypesOfZone, regions, zones } from './catalog.js';
import { disks } from './disks.js';
import { firewalls } from './firewalls.js';
import { forwardingRules } from './forwarding-rules.js';
import { healthChecks } from './health-checks.js';
import { instanceGroupManagers } from './instance-group-managers.js';
import { instanceGroups } from './instance-groups.js';
import { instanceTemplates } from './instance-templates.js';
import { instances } from './instances.js';
import { networks } from './networks.js';
import { operations } from './operations.js';
import { subnetworks } from './subnetworks.js';
import { targetPools } from './target-pools.js';

/** Which handlers serve which `<scope>:<collection>`. */
const TABLE: Readonly<Record<string, CollectionHandlers>> = {
  'global:networks': networks,
  'global:firewalls': firewalls,
  'global:addresses': globalAddresses,
  'global:instanceTemplates': instanceTemplates,
  'global:healthChecks': healthChecks,
  'global:operations': operations,
  'region:subnetworks': subnetworks,
  'region:addresses': addresses,
  'region:instanceTemplates': instanceTemplates,
  'region:instanceGroupManagers': instanceGroupManagers,
  'region:instanceGroups': instanceGroups,
  'region:autoscalers': autoscalers,
  'region:healthChecks': healthChecks,
  'region:backendServices': backendServices,
  'region:forwardingRules': forwardingRules,
  'region:targetPools': targetPools,
  'region:operations': operations,
  'zone:instances': instances,
  'zone:disks': disks,
  'zone:machineTypes': machineTypesOfZone,
  'zone:operations': operations,
  'catalog:regions': regions,
  'catalog:zones': zones,
};

function pick(handlers: CollectionHandlers, ctx: HandlerContext): Handler | undefined {
  if (ctx.verb !== undefined) return handlers.verbs?.[ctx.verb];
  switch (ctx.method) {
    case 'GET':
      return ctx.name === undefined ? handlers.list : handlers.get;
    case 'POST':
      return ctx.name === undefined ? handlers.insert : undefined;
    case 'DELETE':
      return ctx.name === undefined ? undefined : handlers.delete;
    case 'PATCH':
      return ctx.name === undefined ? undefined : handlers.patch;
    case 'PUT':
      return ctx.name === undefined ? undefined : handlers.update;
    default:
      return undefined;
  }
}

const SINGULAR: Readonly<Record<string, string>> = { addresses: 'address' };

function aggregatedList(ctx: HandlerContext): Reply {
  const collection = ctx.collection;
  const pattern = new RegExp(
    `^projects/${ctx.project}/((?:regions|zones)/[^/]+)/${collection}/[^/]+$`,
  );
  const matching = ctx.env.world.find(pattern);
  const page = paginate(
    matching.map(([, v]) => v),
    ctx.query,
  );
  const keep = new Set(page.items);
  const items: Record<string, JsonObject> = {};
  for (const [path, value] of matching) {
    if (!keep.has(value)) continue;
    const key = pattern.exec(path)?.[1] ?? '';
    const scoped = items[key] ?? { [collection]: [] };
    const list = scoped[collection];
    if (Array.isArray(list)) list.push(value);
    items[key] = scoped;
  }
  const singular = SINGULAR[collection] ?? collection.replace(/s$/, '');
  const body: JsonObject = {
    kind: `compute#${singular}AggregatedList`,
    id: `projects/${ctx.project}/aggregated/${collection}`,
    items,
    selfLink: selfLinkOf(`projects/${ctx.project}/aggregated/${collection}`),
  };
  if (page.nextPageToken) body.nextPageToken = page.nextPageToken;
  return { status: 200, body };
}

/** Runs the handler for a compute request. */
export function dispatchCompute(path: ComputePath, ctx: HandlerContext): Reply | Promise<Reply> {
  if (path.kind === 'project') return getProject(ctx);
  if (path.kind === 'aggregated') return aggregatedList(ctx);
  const key = `${path.kind === 'catalog' ? 'catalog' : path.scope.kind}:${path.collection}`;
  const handlers = TABLE[key];
  const handler = handlers ? pick(handlers, ctx) : undefined;
  if (handler) return handler(ctx);
  // The route exists in the compute API (the server matched it against the protos first), so a
  // gap here is the emulator's, and says so with 501 rather than pretending the resource is gone.
  throw unimplemented(`${ctx.method} ${key}${ctx.verb ? `/${ctx.verb}` : ''}`);
}
