import type { Diagnostic, DiagnosticLocation } from './diagnostic.js';
import { toPlainData } from './plain-data.js';
import { runSpecRules } from './rules/index.js';
import { error } from './rules/rule.js';
import { type ClusterSpec, clusterSpecSchema } from './schema/cluster.js';
import { parseSections } from './sections.js';
import { MAX_SPEC_BYTES, specTooLarge } from './size-limit.js';
import { parseSourceText } from './source-text.js';
import { SpecError } from './spec-error.js';
import { withoutUnknownKeys } from './without-unknown-keys.js';
import { diagnosticsFromIssues } from './zod-issues.js';

/** A spec that has no errors. */
export interface ParseSuccess {
  /** Always `true`. */
  ok: true;
  /** The parsed spec, every default filled in. */
  spec: ClusterSpec;
  /** Warnings only. */
  diagnostics: Diagnostic[];
}

/** A spec with at least one error. */
export interface ParseFailure {
  /** Always `false`. */
  ok: false;
  /** Every error found, and any warnings. */
  diagnostics: Diagnostic[];
}

/** The outcome of {@link parseClusterSpec}: the spec and its warnings, or every problem found. */
export type ParseResult = ParseSuccess | ParseFailure;

/** Options of {@link parseClusterSpec} and {@link loadClusterSpec}. */
export interface ParseOptions {
  /**
   * The file the text came from, recorded in each diagnostic's location.
   * @default undefined (locations carry line and column only)
   */
  file?: string;
}

/**
 * Parses and validates a cluster spec, reporting every problem at once and never throwing.
 *
 * A string is read as YAML or JSON text (64 KiB at most, else `spec.tooLarge`) and each
 * diagnostic gets the line and column of its field; anything else is taken as the document
 * itself (no locations). Shape errors come from the schema, semantic errors from rules run on
 * every section that parsed cleanly (unknown fields set aside), so one mistake never hides
 * another. Diagnostics from text are in source order.
 */
export function parseClusterSpec(input: unknown, options: ParseOptions = {}): ParseResult {
  try {
    return parse(input, options);
  } catch (thrown) {
    // The input is copied to plain data first, so nothing below should throw; this is the
    // promise to callers that a bug of ours still comes back as a diagnostic, not an exception.
    const message = thrown instanceof Error ? thrown.message : String(thrown);
    return {
      ok: false,
      diagnostics: [
        error('spec.internal', [], `the spec could not be checked: ${message}`, REPORT_HINT),
      ],
    };
  }
}

const REPORT_HINT = 'this is a bug in hakoc; please report it with the spec that caused it';

function parse(input: unknown, options: ParseOptions): ParseResult {
  const diagnostics: Diagnostic[] = [];
  let raw: unknown = input;
  let locate: ((diagnostic: Diagnostic) => DiagnosticLocation) | undefined;
  if (typeof input === 'string') {
    const size = Buffer.byteLength(input, 'utf8');
    if (size > MAX_SPEC_BYTES) return { ok: false, diagnostics: [specTooLarge(size)] };
    const source = parseSourceText(input, options.file);
    diagnostics.push(...source.diagnostics);
    if (source.diagnostics.some((d) => d.severity === 'error')) return { ok: false, diagnostics };
    raw = source.value;
    locate = (d) => source.locate(d.path, { key: d.code === 'spec.unknownField' });
  }
  const plain = toPlainData(raw);
  const document = plain.value;
  const whole = clusterSpecSchema.safeParse(document);
  const issues = whole.success ? [] : whole.error.issues;
  const found = [
    ...plain.diagnostics,
    ...withoutDiagnosticsAt(plain.diagnostics, [
      ...diagnosticsFromIssues(issues, document),
      ...runSpecRules(parseSections(withoutUnknownKeys(document, issues))),
    ]),
  ];
  if (locate === undefined) {
    diagnostics.push(...found);
  } else {
    const at = locate;
    diagnostics.push(...found.map((d) => ({ ...d, location: at(d) })));
    diagnostics.sort(bySourcePosition);
  }
  if (whole.success && !diagnostics.some((d) => d.severity === 'error')) {
    return { ok: true, spec: whole.data, diagnostics };
  }
  return { ok: false, diagnostics };
}

/**
 * Drops the diagnostics at a path already reported as not plain data: the value there was left
 * out of the copy, so "is required" or "expected text, got nothing" would only repeat it.
 */
function withoutDiagnosticsAt(
  reported: readonly Diagnostic[],
  diagnostics: readonly Diagnostic[],
): Diagnostic[] {
  const paths = new Set(reported.map((d) => JSON.stringify(d.path)));
  return diagnostics.filter((d) => !paths.has(JSON.stringify(d.path)));
}

/**
 * Parses and validates a cluster spec like {@link parseClusterSpec}, returning the spec or
 * throwing a {@link SpecError} that carries every diagnostic. Warnings are dropped; use
 * {@link parseClusterSpec} to see them.
 */
export function loadClusterSpec(input: unknown, options: ParseOptions = {}): ClusterSpec {
  const result = parseClusterSpec(input, options);
  if (!result.ok) throw new SpecError(result.diagnostics);
  return result.spec;
}

function bySourcePosition(a: Diagnostic, b: Diagnostic): number {
  const line = (a.location?.line ?? 0) - (b.location?.line ?? 0);
  return line !== 0 ? line : (a.location?.column ?? 0) - (b.location?.column ?? 0);
}
