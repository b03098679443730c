import type { PlanDocument, StepAction } from './plan-document.js';

const styles: Readonly<Record<StepAction, string>> = {
  create: 'fill:#d4f7d4,stroke:#2e7d32',
  update: 'fill:#fff4c2,stroke:#b28900',
  replace: 'fill:#ffe0c2,stroke:#c75c00',
  delete: 'fill:#ffd6d6,stroke:#c62828',
  noop: 'fill:#eeeeee,stroke:#9e9e9e',
};

/**
 * The plan's graph as a Mermaid flowchart: one node per step, labelled with its action and
 * resource and coloured by action; an arrow from each step to the steps waiting for it.
 */
export function toMermaid(plan: PlanDocument): string {
  const node = new Map(plan.steps.map((step, index) => [step.id, `s${index}`]));
  const lines = ['flowchart LR'];
  plan.steps.forEach((step, index) => {
    const label = `${step.action} ${step.type}/${step.name}`.replaceAll('"', '#quot;');
    lines.push(`  s${index}["${label}"]:::${step.action}`);
  });
  for (const step of plan.steps) {
    for (const dependency of step.dependsOn) {
      const from = node.get(dependency);
      if (from !== undefined) lines.push(`  ${from} --> ${node.get(step.id)}`);
    }
  }
  const used = new Set(plan.steps.map((step) => step.action));
  for (const [action, style] of Object.entries(styles)) {
    if (used.has(action as StepAction)) lines.push(`  classDef ${action} ${style}`);
  }
  return `${lines.join('\n')}\n`;
}
