import { GraphError } from './graph-error.js';
import { type Resource, resourceId } from './resource.js';
import type { ResourceType } from './resource-type.js';

/**
 * Checks a desired graph and orders it dependencies first (ties broken by type order, then
 * name, so the order is deterministic).
 *
 * @throws GraphError listing every problem: duplicates, unknown types, missing dependencies,
 * dependencies on a type listed later than the dependent's, references that are not
 * dependencies, cycles.
 */
export function orderDesired(
  providerName: string,
  resources: readonly Resource[],
  types: readonly ResourceType[],
): Resource[] {
  const typeIndex = new Map(types.map((type, index) => [type.type, index]));
  const byId = new Map<string, Resource>();
  const problems: string[] = [];
  for (const resource of resources) {
    const id = resourceId(resource);
    if (resource.name === '') problems.push(`A ${resource.type} has an empty name.`);
    if (!typeIndex.has(resource.type)) problems.push(`${id} has an unknown type.`);
    if (byId.has(id)) problems.push(`${id} appears twice.`);
    byId.set(id, resource);
  }
  const rank = (resource: Resource) => typeIndex.get(resource.type) ?? -1;
  for (const resource of byId.values()) {
    const dependencies = new Set((resource.dependsOn ?? []).map(resourceId));
    for (const ref of resource.references ?? []) {
      if (!dependencies.has(resourceId(ref))) {
        problems.push(
          `${resourceId(resource)} refers to ${resourceId(ref)} without depending on it.`,
        );
      }
    }
    for (const ref of resource.dependsOn ?? []) {
      const dependency = byId.get(resourceId(ref));
      if (dependency === undefined) {
        problems.push(
          `${resourceId(resource)} depends on ${resourceId(ref)}, which is not in the graph.`,
        );
      } else if (rank(dependency) > rank(resource)) {
        problems.push(
          `${resourceId(resource)} depends on ${resourceId(ref)}, whose type is listed after its own.`,
        );
      }
    }
  }
  if (problems.length > 0) throw new GraphError(providerName, problems);

  const compare = (a: Resource, b: Resource) =>
    rank(a) - rank(b) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  const waiting = new Map<string, number>();
  const dependents = new Map<string, string[]>();
  for (const [id, resource] of byId) {
    const dependencies = new Set((resource.dependsOn ?? []).map(resourceId));
    waiting.set(id, dependencies.size);
    for (const dependency of dependencies) {
      dependents.set(dependency, [...(dependents.get(dependency) ?? []), id]);
    }
  }
  const ready = [...byId.values()].filter((r) => waiting.get(resourceId(r)) === 0).sort(compare);
  const ordered: Resource[] = [];
  for (let next = ready.shift(); next !== undefined; next = ready.shift()) {
    ordered.push(next);
    for (const dependent of dependents.get(resourceId(next)) ?? []) {
      const left = (waiting.get(dependent) ?? 0) - 1;
      waiting.set(dependent, left);
      const resource = byId.get(dependent);
      if (left === 0 && resource !== undefined) {
        ready.push(resource);
        ready.sort(compare);
      }
    }
  }
  if (ordered.length < byId.size) {
    const cyclic = [...byId.keys()].filter((id) => (waiting.get(id) ?? 0) > 0);
    throw new GraphError(providerName, [`These resources form a cycle: ${cyclic.join(', ')}.`]);
  }
  return ordered;
}
