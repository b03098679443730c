import type { ResourceTypeStatus } from './resource-status.js';

/**
 * What is off with the objects of `type` whose names `owns` picks: each one missing, differing
 * from the spec, or left over, as one line.
 */
export function roleProblems(
  resources: readonly ResourceTypeStatus[],
  type: string,
  owns: (name: string) => boolean = () => true,
): string[] {
  const status = resources.find((r) => r.type === type);
  if (status === undefined) return [];
  return [
    ...status.missing.filter(owns).map((name) => `${type}/${name} is missing`),
    ...status.changed.filter(owns).map((name) => `${type}/${name} differs from the spec`),
    ...status.extra.filter(owns).map((name) => `${type}/${name} is left over`),
  ];
}
