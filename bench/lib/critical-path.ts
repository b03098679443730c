/** A step of a dependency graph with what it costs at the least. */
export interface WeightedStep {
  readonly id: string;
  readonly dependsOn: readonly string[];
  /** Time it cannot finish sooner than, once its dependencies are done. */
  readonly weightMs: number;
}

/** The longest chain of a graph: its length and the steps on it, first to last. */
export interface CriticalPath {
  readonly lengthMs: number;
  readonly chain: readonly string[];
}

/**
 * The longest weighted chain through the graph: no schedule, however parallel, finishes
 * sooner. Steps may come in any order; a dependency outside the graph counts as done.
 */
export function criticalPath(steps: readonly WeightedStep[]): CriticalPath {
  const byId = new Map(steps.map((step) => [step.id, step]));
  const finish = new Map<string, { at: number; via: string | undefined }>();
  const visit = (id: string, seen: ReadonlySet<string>): number => {
    const known = finish.get(id);
    if (known) return known.at;
    const step = byId.get(id);
    if (step === undefined) return 0;
    if (seen.has(id)) throw new Error(`dependency cycle through ${id}`);
    const path = new Set(seen).add(id);
    let start = 0;
    let via: string | undefined;
    for (const dep of step.dependsOn) {
      if (!byId.has(dep)) continue;
      const at = visit(dep, path);
      if (via === undefined || at > start) {
        start = at;
        via = dep;
      }
    }
    const at = start + step.weightMs;
    finish.set(id, { at, via });
    return at;
  };
  let last: string | undefined;
  let lengthMs = 0;
  for (const step of steps) {
    const at = visit(step.id, new Set());
    if (last === undefined || at > lengthMs) {
      lengthMs = at;
      last = step.id;
    }
  }
  const chain: string[] = [];
  for (let id = last; id !== undefined; id = finish.get(id)?.via) chain.unshift(id);
  return { lengthMs, chain };
}

/**
 * The graph cut into dependency levels: level 0 depends on nothing, level n on something of
 * level n − 1 at the latest. What a scheduler that finishes one level before starting the next
 * runs together.
 */
export function dependencyLevels(
  steps: readonly Pick<WeightedStep, 'id' | 'dependsOn'>[],
): string[][] {
  const byId = new Map(steps.map((step) => [step.id, step]));
  const level = new Map<string, number>();
  const levelOf = (id: string): number => {
    const known = level.get(id);
    if (known !== undefined) return known;
    const deps = byId.get(id)?.dependsOn.filter((dep) => byId.has(dep)) ?? [];
    const value = deps.length === 0 ? 0 : 1 + Math.max(...deps.map(levelOf));
    level.set(id, value);
    return value;
  };
  const levels: string[][] = [];
  for (const step of steps) {
    const n = levelOf(step.id);
    while (levels.length <= n) levels.push([]);
    levels[n]?.push(step.id);
  }
  return levels;
}
