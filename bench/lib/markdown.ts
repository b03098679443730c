/** How a column lines up. */
export type Align = 'left' | 'right';

/** One column of a Markdown table. */
export interface Column {
  readonly title: string;
  /** @default 'right' for every column but the first */
  readonly align?: Align;
}

/** A Markdown table; `|` inside a cell is escaped. */
export function table(
  columns: readonly (Column | string)[],
  rows: readonly (readonly string[])[],
): string {
  const cols = columns.map((c) => (typeof c === 'string' ? { title: c } : c));
  const cell = (text: string) => text.replaceAll('|', '\\|');
  const rule = cols.map((c, i) =>
    (c.align ?? (i === 0 ? 'left' : 'right')) === 'left' ? '---' : '---:',
  );
  return [
    `| ${cols.map((c) => cell(c.title)).join(' | ')} |`,
    `|${rule.join('|')}|`,
    ...rows.map((row) => `| ${row.map(cell).join(' | ')} |`),
  ].join('\n');
}

/** Whether a target held, in words a table cell can hold. */
export function verdict(met: boolean): string {
  return met ? 'met' : '**missed**';
}
