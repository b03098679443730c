import type { PlanDocument, StepAction } from './plan-document.js';

const colours: Readonly<Record<StepAction, string>> = {
  create: '#2e7d32',
  update: '#b28900',
  replace: '#c75c00',
  delete: '#c62828',
  noop: '#9e9e9e',
};

/**
 * The plan's graph in Graphviz DOT: one node per step, labelled with its action and resource and
 * coloured by action; an edge from each step to the steps waiting for it.
 */
export function toDot(plan: PlanDocument): string {
  const quote = (text: string) => `"${text.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
  const lines = [
    `digraph ${quote(`${plan.provider}/${plan.cluster}`)} {`,
    '  rankdir=LR;',
    '  node [shape=box];',
  ];
  for (const step of plan.steps) {
    const label = `${step.action}\\n${step.type}/${step.name}`;
    lines.push(
      `  ${quote(step.id)} [label="${label.replaceAll('"', '\\"')}", color="${colours[step.action]}"];`,
    );
  }
  for (const step of plan.steps) {
    for (const dependency of step.dependsOn)
      lines.push(`  ${quote(dependency)} -> ${quote(step.id)};`);
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}
