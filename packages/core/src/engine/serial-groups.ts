import type { PlannedStep } from './plan-internals.js';

/**
 * Makes the updates and replaces of each serial group (see `Resource.serialGroup`) run one at a
 * time, in plan order: each waits for the one before it, and its reason says so. The order is an
 * edge of the plan, so it shows in `hakoc plan` and `hakoc graph` and holds again when a crashed apply is planned and applied anew
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
    // Said in the step too, so a plan read as a table shows the order as well as a graph does.
    const turn = `one at a time in ${group}, after ${previous}`;
    const reason = planned.step.reason === undefined ? turn : `${planned.step.reason}; ${turn}`;
    return { ...planned, step: { ...planned.step, dependsOn, reason } };
  });
}
