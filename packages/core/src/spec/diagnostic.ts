/** Where in a source text a {@link Diagnostic} points. Lines and columns are 1-based. */
export interface DiagnosticLocation {
  /** The file the text came from, when it came from a file. */
  file?: string;
  /** 1-based line. */
  line: number;
  /** 1-based column. */
  column: number;
}

/**
 * One problem found in a cluster spec. Every problem is reported at once, each with a stable
 * `code` programs can branch on and a `path` to the field it concerns.
 */
export interface Diagnostic {
  /** `error` makes the spec invalid; `warning` is printed but the spec is accepted. */
  severity: 'error' | 'warning';
  /** Stable identifier of the kind of problem, for example `etcd.evenCount` or `yaml.syntax`. */
  code: string;
  /** One sentence saying what is wrong. */
  message: string;
  /** The field concerned, from the document root, for example `['spec', 'etcd', 'count']`. */
  path: readonly (string | number)[];
  /** What to do about it, when we know. */
  hint?: string;
  /** The line and column in the source text; absent when the spec was given as an object. */
  location?: DiagnosticLocation;
}

const identifier = /^[A-Za-z_$][\w$]*$/;

/**
 * Renders a diagnostic path the way a reader would write it in code.
 *
 * @example formatPath(['spec', 'provider', 'gce', 'zones', 1]) === 'spec.provider.gce.zones[1]'
 */
export function formatPath(path: readonly (string | number)[]): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else if (identifier.test(segment)) text += text === '' ? segment : `.${segment}`;
    else text += `[${JSON.stringify(segment)}]`;
  }
  return text === '' ? '(root)' : text;
}

/**
 * Renders one diagnostic on one line (plus an indented hint line), as
 * `file:line:col  path  message`. The location part is left out when unknown.
 */
export function formatDiagnostic(diagnostic: Diagnostic): string {
  const { location } = diagnostic;
  const where =
    location === undefined
      ? ''
      : `${location.file === undefined ? '' : `${location.file}:`}${location.line}:${location.column}  `;
  const severity = diagnostic.severity === 'warning' ? 'warning: ' : '';
  const line = `${where}${formatPath(diagnostic.path)}  ${severity}${diagnostic.message}`;
  return diagnostic.hint === undefined ? line : `${line}\n    hint: ${diagnostic.hint}`;
}
