import { createHash } from 'node:crypto';
import {
  allZones,
  machineType,
  machineTypes,
  regionNames,
  regionOfZone,
  zonesOf,
} from '../catalog.js';
import { listReply } from '../collection.js';
import { type HandlerContext, ok, type Reply } from '../context.js';
import { notFound } from '../errors.js';
import type { JsonObject } from '../json.js';
import { selfLinkOf } from '../paths.js';
import { fingerprintOf } from '../world.js';

/** Read-only catalogue resources: regions (with quotas), zones, machine types and the project. */

/** Stable ids for catalogue entries, derived from their names (GCE's never change either). */
function stableId(name: string): string {
  const hex = createHash('sha256').update(name).digest('hex').slice(0, 15);
  return (BigInt(`0x${hex}`) + 1_000_000_000_000_000_000n).toString();
}

/** GCE dates its built-in resources at the Unix epoch, in Pacific time. */
const CATALOG_CREATED = '1969-12-31T16:00:00.000-08:00';

function regionJson(ctx: HandlerContext, name: string): JsonObject {
  return {
    kind: 'compute#region',
    id: stableId(name),
    creationTimestamp: CATALOG_CREATED,
    name,
    description: name,
    status: 'UP',
    zones: (zonesOf(name) ?? []).map((z) => selfLinkOf(`projects/${ctx.project}/zones/${z}`)),
    quotas: ctx.env.quotas.regionQuotas(ctx.env.world, ctx.project, name),
    selfLink: selfLinkOf(`projects/${ctx.project}/regions/${name}`),
    supportsPzs: false,
  };
}

function zoneJson(ctx: HandlerContext, name: string): JsonObject {
  return {
    kind: 'compute#zone',
    id: stableId(name),
    creationTimestamp: CATALOG_CREATED,
    name,
    description: name,
    status: 'UP',
    region: selfLinkOf(`projects/${ctx.project}/regions/${regionOfZone(name) ?? ''}`),
    selfLink: selfLinkOf(`projects/${ctx.project}/zones/${name}`),
    availableCpuPlatforms: [
      'Intel Broadwell',
      'Intel Cascade Lake',
      'AMD Milan',
      'Intel Sapphire Rapids',
    ],
    supportsPzs: false,
  };
}

function machineTypeJson(ctx: HandlerContext, zone: string, name: string): JsonObject | undefined {
  const type = machineType(name);
  if (!type) return undefined;
  return {
    kind: 'compute#machineType',
    id: stableId(name),
    creationTimestamp: CATALOG_CREATED,
    name,
    description: `${type.guestCpus} vCPU${type.guestCpus > 1 ? 's' : ''}, ${Math.round(type.memoryMb / 102.4) / 10} GB RAM`,
    guestCpus: type.guestCpus,
    memoryMb: type.memoryMb,
    imageSpaceGb: 0,
    maximumPersistentDisks: type.isSharedCpu ? 16 : 128,
    maximumPersistentDisksSizeGb: type.isSharedCpu ? '3072' : '263168',
    zone,
    selfLink: selfLinkOf(`projects/${ctx.project}/zones/${zone}/machineTypes/${name}`),
    isSharedCpu: type.isSharedCpu,
    architecture: name.startsWith('t2a') ? 'ARM64' : 'X86_64',
  };
}

/** `regions` (get, list), addressed on the project. */
export const regions = {
  get(ctx: HandlerContext): Reply {
    const name = ctx.name ?? '';
    if (!zonesOf(name)) throw notFound(`projects/${ctx.project}/regions/${name}`);
    return ok(regionJson(ctx, name));
  },
  list: (ctx: HandlerContext): Reply =>
    listReply(
      ctx,
      'compute#regionList',
      regionNames().map((r) => regionJson(ctx, r)),
    ),
};

/** `zones` (get, list). */
export const zones = {
  get(ctx: HandlerContext): Reply {
    const name = ctx.name ?? '';
    if (!regionOfZone(name)) throw notFound(`projects/${ctx.project}/zones/${name}`);
    return ok(zoneJson(ctx, name));
  },
  list: (ctx: HandlerContext): Reply =>
    listReply(
      ctx,
      'compute#zoneList',
      allZones().map((z) => zoneJson(ctx, z)),
    ),
};

/** `machineTypes` of a zone (get, list). */
export const machineTypesOfZone = {
  get(ctx: HandlerContext): Reply {
    const zone = ctx.scope.kind === 'zone' ? ctx.scope.name : '';
    const found = machineTypeJson(ctx, zone, ctx.name ?? '');
    if (!found)
      throw notFound(`projects/${ctx.project}/zones/${zone}/machineTypes/${ctx.name ?? ''}`);
    return ok(found);
  },
  list(ctx: HandlerContext): Reply {
    const zone = ctx.scope.kind === 'zone' ? ctx.scope.name : '';
    const all = machineTypes()
      .map((t) => machineTypeJson(ctx, zone, t.name))
      .filter((t): t is JsonObject => t !== undefined);
    return listReply(ctx, 'compute#machineTypeList', all);
  },
};

/** `projects.get`: any project id exists, with its project-wide quotas. */
export function getProject(ctx: HandlerContext): Reply {
  const number = stableId(ctx.project).slice(0, 12);
  return ok({
    kind: 'compute#project',
    id: stableId(`project:${ctx.project}`),
    creationTimestamp: CATALOG_CREATED,
    name: ctx.project,
    quotas: ctx.env.quotas.projectQuotas(ctx.env.world, ctx.project),
    selfLink: selfLinkOf(`projects/${ctx.project}`),
    defaultServiceAccount: `${number}-compute@developer.gserviceaccount.com`,
    commonInstanceMetadata: { kind: 'compute#metadata', fingerprint: fingerprintOf({}), items: [] },
    xpnProjectStatus: 'UNSPECIFIED_XPN_PROJECT_STATUS',
    defaultNetworkTier: 'PREMIUM',
  });
}
