import type { PlanDocument } from '@hakoc/core';
import type { Palette } from '../cli-io.js';
import { formatTable } from './table.js';

const SYMBOLS: Readonly<Record<string, string>> = {
  create: '+',
  update: '~',
  replace: '-/+',
  delete: '-',
};

/** The changes of a plan as a table, then its summary line and its warnings. */
export function formatPlan(plan: PlanDocument, palette: Palette): string {
  const changes = plan.steps.filter((step) => step.action !== 'noop');
  const { summary } = plan;
  const line = `${summary.create} to create, ${summary.update} to update, ${summary.replace} to replace, ${summary.delete} to delete, ${summary.noop} unchanged`;
  const warnings = (plan.warnings ?? [])
    .map((warning) => `${palette.warning('warning')}: ${warning}\n`)
    .join('');
  if (changes.length === 0) return `${palette.ok('No changes.')} ${palette.dim(line)}\n${warnings}`;
  const rows = changes.map((step) => [
    SYMBOLS[step.action] ?? step.action,
    step.type,
    step.name,
    [step.fields?.length ? step.fields.join(', ') : '', step.reason ?? '']
      .filter(Boolean)
      .join(': '),
  ]);
  return `${formatTable(['', 'type', 'name', 'why'], rows)}${palette.bold(line)}\n${warnings}`;
}
