import type { Palette } from '../cli-io.js';
import { formatTable } from '../format/table.js';
import type { RoleCondition } from './role-status.js';
import type { StatusReport } from './status-report.js';

/** The status as text: a table of resource types, each role with its problems, the lock. */
export function formatStatus(report: StatusReport, palette: Palette): string {
  const mark: Record<RoleCondition, string> = {
    ok: palette.ok('✓'),
    degraded: palette.warning('!'),
    missing: palette.error('✗'),
  };
  const lines: string[] = [`Cluster ${palette.bold(report.cluster)} on ${report.provider}`, ''];
  lines.push(
    formatTable(
      ['TYPE', 'PRESENT', 'CHANGED', 'MISSING', 'EXTRA'],
      report.resources.map((r) => [
        r.type,
        String(r.present.length + r.changed.length),
        String(r.changed.length),
        String(r.missing.length),
        String(r.extra.length),
      ]),
    ).trimEnd(),
    '',
  );
  for (const role of report.roles) {
    lines.push(`${mark[role.condition]} ${role.role.padEnd(14)} ${role.summary}`);
    for (const machine of role.machines) {
      const where = [machine.ip, machine.zone].filter(Boolean).join(', ');
      lines.push(`    ${machine.name}  ${machine.state}${where ? palette.dim(`  ${where}`) : ''}`);
    }
    for (const backend of role.backends ?? []) {
      lines.push(
        `    ${backend.group}  ${backend.healthy}/${backend.total} healthy${palette.dim(`  ${backend.zone}`)}`,
      );
    }
    for (const problem of role.problems) lines.push(`    ${palette.warning(problem)}`);
  }
  lines.push('');
  const { lock } = report;
  lines.push(
    lock === null
      ? palette.dim('Not locked.')
      : `${palette.warning('Locked')} by ${lock.holder} (${lock.operation} since ${lock.acquiredAt}); if that process is gone: hakoc lock break`,
  );
  lines.push(
    report.healthy
      ? `${palette.ok('✓')} ${report.cluster} is as the spec says.`
      : `${palette.error('✗')} ${report.cluster} is not as the spec says: hakoc plan shows what apply would change.`,
  );
  return `${lines.join('\n')}\n`;
}
