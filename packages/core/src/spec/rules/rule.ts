import type { Diagnostic } from '../diagnostic.js';
import type { SpecSections } from '../schema/cluster.js';

/** The name of a section a rule may need: `metadata` or a section of `spec`. */
export type SectionName = keyof SpecSections;

/** Every section, or undefined where it did not parse cleanly. */
export type ParsedSections = { [K in SectionName]: SpecSections[K] | undefined };

/** Sections a rule needs are present; the others may be, when they parsed cleanly. */
export type RuleInput<K extends SectionName> = Pick<SpecSections, K> & ParsedSections;

/**
 * A semantic check over the sections that parsed cleanly. A rule only runs when every section
 * it `needs` parsed, so a type error in one section never hides a rule about another.
 */
export interface Rule {
  /** Sections that must have parsed for the rule to run. */
  readonly needs: readonly SectionName[];
  /** Runs the rule when its sections are there; returns no diagnostics otherwise. */
  run(sections: ParsedSections): Diagnostic[];
}

/** Declares a {@link Rule} that needs the sections `needs`. */
export function rule<K extends SectionName>(
  needs: readonly K[],
  check: (sections: RuleInput<K>) => Diagnostic[],
): Rule {
  const ready = (sections: ParsedSections): sections is RuleInput<K> =>
    needs.every((name) => sections[name] !== undefined);
  return { needs, run: (sections) => (ready(sections) ? check(sections) : []) };
}

/** An error diagnostic at `path`. */
export function error(
  code: string,
  path: readonly (string | number)[],
  message: string,
  hint?: string,
): Diagnostic {
  return hint === undefined
    ? { severity: 'error', code, message, path }
    : { severity: 'error', code, message, path, hint };
}

/** A warning diagnostic at `path`: printed, but the spec stays valid. */
export function warning(
  code: string,
  path: readonly (string | number)[],
  message: string,
  hint?: string,
): Diagnostic {
  return { ...error(code, path, message, hint), severity: 'warning' };
}
