import { regionOfZone, zonesOf } from './catalog.js';
import { notFound } from './errors.js';
import type { Scope } from './paths.js';

/**
 * Splits a compute REST path into project, scope, collection, name and verb:
 * `/compute/v1/projects/{p}` (the project), `…/regions[/{r}]` and `…/zones[/{z}]` (catalogue),
 * `…/global|regions/{r}|zones/{z}/{collection}[/{name}[/{verb}]]` and
 * `…/aggregated/{collection}`.
 */

/** A parsed compute path. */
export interface ComputePath {
  readonly project: string;
  /** `project` for `projects.get`, `catalog` for regions/zones, `aggregated`, or `scoped`. */
  readonly kind: 'project' | 'catalog' | 'aggregated' | 'scoped';
  readonly scope: Scope;
  readonly collection: string;
  readonly name: string | undefined;
  readonly verb: string | undefined;
}

/** Parses a compute path; throws 404 for one outside the API or in an unknown region/zone. */
export function parseComputePath(pathname: string): ComputePath {
  const segments = pathname
    .split('/')
    .filter((s) => s !== '')
    .map(decodeURIComponent);
  const [api, version, projects, project, ...rest] = segments;
  if (api !== 'compute' || version !== 'v1' || projects !== 'projects' || !project) {
    throw notFound(pathname);
  }
  const global: Scope = { kind: 'global' };
  const [first, second, third, fourth, fifth, ...extra] = rest;
  if (extra.length > 0) throw notFound(pathname);
  if (first === undefined) {
    return {
      project,
      kind: 'project',
      scope: global,
      collection: 'projects',
      name: project,
      verb: undefined,
    };
  }
  if (first === 'aggregated' && second !== undefined && third === undefined) {
    return {
      project,
      kind: 'aggregated',
      scope: global,
      collection: second,
      name: undefined,
      verb: undefined,
    };
  }
  if (first === 'global' && second !== undefined) {
    if (fifth !== undefined) throw notFound(pathname);
    return {
      project,
      kind: 'scoped',
      scope: global,
      collection: second,
      name: third,
      verb: fourth,
    };
  }
  if ((first === 'regions' || first === 'zones') && (second === undefined || third === undefined)) {
    if (second !== undefined) checkScope(project, first, second);
    return {
      project,
      kind: 'catalog',
      scope: global,
      collection: first,
      name: second,
      verb: undefined,
    };
  }
  if ((first === 'regions' || first === 'zones') && second !== undefined && third !== undefined) {
    checkScope(project, first, second);
    const scope: Scope =
      first === 'regions' ? { kind: 'region', name: second } : { kind: 'zone', name: second };
    return { project, kind: 'scoped', scope, collection: third, name: fourth, verb: fifth };
  }
  throw notFound(pathname);
}

function checkScope(project: string, kind: 'regions' | 'zones', name: string): void {
  const known = kind === 'regions' ? zonesOf(name) !== undefined : regionOfZone(name) !== undefined;
  if (!known) throw notFound(`projects/${project}/${kind}/${name}`);
}
