import { type HandlerContext, mutate, ok, type Reply } from './context.js';
import {
  alreadyExists,
  badPayload,
  conditionNotMet,
  inUse,
  invalidField,
  requiredField,
} from './errors.js';
import { cloneJson, isJsonObject, type Json, type JsonObject, stringField } from './json.js';
import type { OperationError } from './operations.js';
import { paginate } from './paging.js';
import { scopePath, selfLinkOf } from './paths.js';
import { findUser } from './references.js';
import type { Effect } from './state.js';
import { fingerprintOf } from './world.js';

/**
 * The behaviour most compute collections share: get, list (filter + paging), insert with
 * name checks and `alreadyExists`, delete with `resourceInUseByAnotherResource`, patch with JSON
 * merge-patch semantics and fingerprints, update, `setLabels`. Each collection file describes
 * only what is particular to it.
 */

/** A handler for one REST method. */
export type Handler = (ctx: HandlerContext) => Reply | Promise<Reply>;

/** The handlers of one collection. */
export interface CollectionHandlers {
  readonly get?: Handler;
  readonly list?: Handler;
  readonly insert?: Handler;
  readonly delete?: Handler;
  readonly patch?: Handler;
  readonly update?: Handler;
  /** Custom verbs after the resource name (`resize`, `setLabels`). */
  readonly verbs?: Readonly<Record<string, Handler>>;
}

/** The handlers {@link defineCollection} builds: every standard method is there. */
export type StandardHandlers = Required<Omit<CollectionHandlers, 'verbs'>> &
  Pick<CollectionHandlers, 'verbs'>;

/** What is particular to one collection. */
export interface CollectionSpec {
  /** REST collection name, e.g. `forwardingRules`. */
  readonly collection: string;
  /** `kind` of one resource, e.g. `compute#forwardingRule`. */
  readonly kind: string;
  /** Prefix of latency keys, e.g. `forwardingRules` (→ `forwardingRules.insert`). */
  readonly latencyKey?: string;
  /** The resource has `labels` and `labelFingerprint`. */
  readonly labels?: boolean;
  /** The resource has a `fingerprint` that changes with every update. */
  readonly fingerprint?: boolean;
  /** Fills defaults and checks references of a new resource; throws API errors. */
  readonly prepare?: (ctx: HandlerContext, resource: JsonObject, path: string) => void;
  /** The quota error inserting this resource would cause, if any. */
  readonly quota?: (ctx: HandlerContext, resource: JsonObject) => OperationError | undefined;
  /** Effects when the insert operation finishes (e.g. an instance becomes `RUNNING`). */
  readonly insertEffects?: (path: string, resource: JsonObject) => Effect[];
  /** Changes now and when done for a delete; default: removed when the operation is done. */
  readonly onDelete?: (
    ctx: HandlerContext,
    path: string,
    resource: JsonObject,
  ) => { readonly apply?: () => void; readonly effects: Effect[] };
  /** Re-checks a patched or updated resource (references, immutable fields). */
  readonly afterChange?: (ctx: HandlerContext, resource: JsonObject, before: JsonObject) => void;
}

const NAME = /^[a-z](?:[-a-z0-9]{0,61}[a-z0-9])?$/;
const OUTPUT_ONLY = ['id', 'kind', 'selfLink', 'creationTimestamp', 'selfLinkWithId'];

/** The path of the collection a request addresses. */
export function collectionPath(ctx: HandlerContext, collection = ctx.collection): string {
  return `${scopePath(ctx.project, ctx.scope)}/${collection}`;
}

/** The path of the resource a request names. */
export function resourcePath(ctx: HandlerContext): string {
  return `${collectionPath(ctx)}/${ctx.name ?? ''}`;
}

/** The request body, or a 400 when the method needs one. */
export function requireBody(ctx: HandlerContext): JsonObject {
  if (!ctx.body) throw badPayload('Required request body is missing.');
  return ctx.body;
}

/** Checks a resource name as GCE does (RFC 1035 label, at most 63 characters). */
export function checkName(name: Json | undefined): string {
  if (name === undefined || name === null || name === '') throw requiredField('resource.name');
  if (typeof name !== 'string' || !NAME.test(name)) {
    throw invalidField(
      'resource.name',
      String(name),
      "Must be a match of regex '(?:[a-z](?:[-a-z0-9]{0,61}[a-z0-9])?)'",
    );
  }
  return name;
}

/** The labels' fingerprint, as GCE computes one per label set. */
export function labelFingerprintOf(resource: JsonObject): string {
  const labels = resource.labels;
  return fingerprintOf(isJsonObject(labels) ? labels : {});
}

/** Adds the output fields GCE sets on every resource it creates. */
export function stamp(
  ctx: HandlerContext,
  spec: Pick<CollectionSpec, 'kind' | 'labels' | 'fingerprint'>,
  resource: JsonObject,
  path: string,
): void {
  for (const field of OUTPUT_ONLY) delete resource[field];
  resource.kind = spec.kind;
  resource.id = ctx.env.world.newId();
  resource.creationTimestamp = ctx.env.world.timestamp();
  resource.selfLink = selfLinkOf(path);
  if (ctx.scope.kind === 'region') {
    resource.region = selfLinkOf(`projects/${ctx.project}/regions/${ctx.scope.name}`);
  } else if (ctx.scope.kind === 'zone') {
    resource.zone = selfLinkOf(`projects/${ctx.project}/zones/${ctx.scope.name}`);
  }
  if (spec.labels) resource.labelFingerprint = labelFingerprintOf(resource);
  if (spec.fingerprint) resource.fingerprint = fingerprintOf(withoutFingerprint(resource));
}

function withoutFingerprint(resource: JsonObject): JsonObject {
  const { fingerprint: _fingerprint, ...rest } = resource;
  return rest;
}

/** RFC 7396 JSON merge patch, which GCE's `patch` methods follow. */
export function mergePatch(target: JsonObject, patch: JsonObject): JsonObject {
  const out: JsonObject = { ...target };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else if (isJsonObject(value) && isJsonObject(out[key])) {
      out[key] = mergePatch(out[key] as JsonObject, value);
    } else out[key] = cloneJson(value);
  }
  return out;
}

/** A `…List` reply for a collection. */
export function listReply(ctx: HandlerContext, kind: string, all: readonly JsonObject[]): Reply {
  const page = paginate(all, ctx.query);
  const path = collectionPath(ctx);
  const body: JsonObject = { kind, id: path, selfLink: selfLinkOf(path) };
  if (page.items.length > 0) body.items = page.items;
  if (page.nextPageToken) body.nextPageToken = page.nextPageToken;
  return ok(body);
}

/** Builds the standard handlers of a collection from its spec. */
export function defineCollection(spec: CollectionSpec): StandardHandlers {
  const latency = spec.latencyKey ?? spec.collection;

  const get: Handler = (ctx) => ok(ctx.env.world.require(resourcePath(ctx)));

  const list: Handler = (ctx) =>
    listReply(ctx, `${spec.kind}List`, ctx.env.world.list(collectionPath(ctx)));

  const insert: Handler = (ctx) => {
    const body = requireBody(ctx);
    const name = checkName(body.name);
    const path = `${collectionPath(ctx)}/${name}`;
    const world = ctx.env.world;
    if (world.get(path)) throw alreadyExists(path);
    const resource = cloneJson(body);
    stamp(ctx, spec, resource, path);
    spec.prepare?.(ctx, resource, path);
    if (spec.fingerprint) resource.fingerprint = fingerprintOf(withoutFingerprint(resource));
    const error = spec.quota?.(ctx, resource);
    return mutate(
      ctx,
      {
        scope: ctx.scope,
        operationType: 'insert',
        targetPath: path,
        latencyKey: `${latency}.insert`,
        effects: spec.insertEffects?.(path, resource) ?? [],
        ...(error ? { error } : {}),
      },
      () => world.put(path, resource),
    );
  };

  const remove: Handler = (ctx) => {
    const path = resourcePath(ctx);
    const world = ctx.env.world;
    const resource = world.require(path);
    const user = findUser(world, path, ctx.project);
    if (user) throw inUse(path, user);
    const plan = spec.onDelete?.(ctx, path, resource) ?? { effects: [{ kind: 'delete', path }] };
    return mutate(
      ctx,
      {
        scope: ctx.scope,
        operationType: 'delete',
        targetPath: path,
        latencyKey: `${latency}.delete`,
        effects: plan.effects,
      },
      plan.apply,
    );
  };

  const change =
    (verb: 'patch' | 'update'): Handler =>
    (ctx) => {
      const path = resourcePath(ctx);
      const world = ctx.env.world;
      const before = world.require(path);
      const body = requireBody(ctx);
      const given = stringField(body, 'fingerprint');
      if (spec.fingerprint && given !== undefined && given !== before.fingerprint) {
        throw conditionNotMet(path);
      }
      const kept: JsonObject = {};
      for (const field of [...OUTPUT_ONLY, 'name', 'region', 'zone']) {
        const value = before[field];
        if (value !== undefined) kept[field] = value;
      }
      const next =
        verb === 'patch'
          ? mergePatch(before, body)
          : { ...cloneJson(body), ...kept, ...(before.labels ? { labels: before.labels } : {}) };
      Object.assign(next, kept);
      if (next.name !== before.name) {
        throw invalidField('resource.name', String(next.name), 'The name cannot be changed.');
      }
      spec.afterChange?.(ctx, next, before);
      if (spec.labels) next.labelFingerprint = labelFingerprintOf(next);
      if (spec.fingerprint) next.fingerprint = fingerprintOf(withoutFingerprint(next));
      return mutate(
        ctx,
        {
          scope: ctx.scope,
          operationType: verb,
          targetPath: path,
          latencyKey: `${latency}.${verb}`,
        },
        () => world.put(path, next),
      );
    };

  const setLabels: Handler = (ctx) => {
    const path = resourcePath(ctx);
    const world = ctx.env.world;
    const before = world.require(path);
    const body = requireBody(ctx);
    const given = stringField(body, 'labelFingerprint');
    if (given !== undefined && given !== before.labelFingerprint) throw conditionNotMet(path);
    const labels = isJsonObject(body.labels) ? body.labels : {};
    const next: JsonObject = { ...before, labels };
    next.labelFingerprint = labelFingerprintOf(next);
    return mutate(
      ctx,
      {
        scope: ctx.scope,
        operationType: 'setLabels',
        targetPath: path,
        latencyKey: `${latency}.setLabels`,
      },
      () => world.put(path, next),
    );
  };

  return {
    get,
    list,
    insert,
    delete: remove,
    patch: change('patch'),
    update: change('update'),
    ...(spec.labels ? { verbs: { setLabels } } : {}),
  };
}
