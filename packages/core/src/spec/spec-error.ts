import { HakocError } from '@hakoc/certs';
import { type Diagnostic, formatDiagnostic } from './diagnostic.js';

/** The stable code of a {@link SpecError}. */
export const SPEC_INVALID = 'HAKOC_SPEC_INVALID';

/** Thrown by {@link loadClusterSpec} when a spec has errors; carries every diagnostic found. */
export class SpecError extends HakocError {
  /** Every problem found, errors and warnings, in source order. */
  readonly diagnostics: readonly Diagnostic[];

  constructor(diagnostics: readonly Diagnostic[]) {
    const errors = diagnostics.filter((d) => d.severity === 'error');
    const count = errors.length === 1 ? '1 error' : `${errors.length} errors`;
    super(
      SPEC_INVALID,
      `invalid cluster spec (${count}):\n${errors.map(formatDiagnostic).join('\n')}`,
      {
        hint: 'fix the fields listed above; `hakoc validate SPEC` shows the same list',
      },
    );
    this.name = 'SpecError';
    this.diagnostics = diagnostics;
  }
}
