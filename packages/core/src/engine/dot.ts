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
  const escapeDot = (text: string) => text.replaceAll('\\', '\\\\').replaceAll('"', '\\"');
  const quote = (text: string) => `"${escapeDot(text)}"`;
  const lines = [
    `digraph ${quote(`${plan.provider}/${plan.cluster}`)} {`,
    '  rankdir=LR;',
    '  node [shape=box];',
  ];
  for (const step of plan.steps) {
    // `\n` is DOT's line break inside a label, so it goes in after the parts are escaped.
    const label = `"${escapeDot(step.action)}\\n${escapeDot(`${step.type}/${step.name}`)}"`;
    lines.push(`  ${quote(step.id)} [label=${label}, color="${colours[step.action]}"];`);
  }
  for (const step of plan.steps) {
    for (const dependency of step.dependsOn)
      lines.push(`  ${quote(dependency)} -> ${quote(step.id)};`);
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}
