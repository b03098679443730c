import { type Diagnostic, formatPath } from '@hakoc/core';
import type { Palette } from '../cli-io.js';

/**
 * One diagnostic (located in `file`, named as the user gave it) as `file:line:col  path  severity: message [code]`, then its hint indented
 * on the next line — the shape editors and CI log parsers link to the source.
 */
export function formatDiagnostic(diagnostic: Diagnostic, file: string, palette: Palette): string {
  const where = diagnostic.location
    ? `${file}:${diagnostic.location.line}:${diagnostic.location.column}`
    : file;
  const path = diagnostic.path.length > 0 ? formatPath(diagnostic.path) : '(document)';
  const severity =
    diagnostic.severity === 'error' ? palette.error('error') : palette.warning('warning');
  const head = `${where}  ${palette.bold(path)}  ${severity}: ${diagnostic.message} ${palette.dim(`[${diagnostic.code}]`)}`;
  return diagnostic.hint ? `${head}\n    hint: ${diagnostic.hint}\n` : `${head}\n`;
}

/** `2 errors, 1 warning` */
export function countDiagnostics(diagnostics: readonly Diagnostic[]): string {
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.length - errors;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  return `${plural(errors, 'error')}, ${plural(warnings, 'warning')}`;
}
