import type { PlannedStep } from './plan-internals.js';

/**
 * Makes the updates and replaces of each serial group (see `Resource.serialGroup`) run one at a
 * time, in plan order: each waits for the one before it. The order is an edge of the plan, so
 * it shows in `hakoc plan` and holds again when a crashed apply is planned and applied anew
 * (members already changed are then no-ops and drop out of the chain).
 */
export function chainSerialGroups(steps: readonly PlannedStep[]): PlannedStep[] {
  const previousInGroup = new Map<string, string>();
  return steps.map((planned) => {
    const group = planned.resource?.serialGroup;
    const { action } = planned.step;
    if (group === undefined || (action !== 'update' && action !== 'replace')) return planned;
    const previous = previousInGroup.get(group);
    previousInGroup.set(group, planned.step.id);
    if (previous === undefined) return planned;
    const dependsOn = [...new Set([...planned.step.dependsOn, previous])].sort();
    return { ...planned, step: { ...planned.step, dependsOn } };
  });
}
