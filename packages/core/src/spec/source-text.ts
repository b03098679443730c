import {
  type Alias,
  type Document,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  parseDocument,
  visit,
} from 'yaml';
import type { Diagnostic, DiagnosticLocation } from './diagnostic.js';

/** A spec read from YAML or JSON text, with a way back from a field path to its position. */
export interface SourceDocument {
  /** The document as plain data; undefined when the text had syntax errors. */
  readonly value: unknown;
  /** YAML syntax errors and warnings, already located. */
  readonly diagnostics: Diagnostic[];
  /**
   * Where `path` is in the text. A path that does not exist (a missing key) falls back to its
   * nearest existing parent; `key: true` points at the key of the field rather than its value.
   */
  locate(path: readonly (string | number)[], options?: { key?: boolean }): DiagnosticLocation;
}

/** Parses YAML text (JSON is YAML too) without throwing: syntax errors become diagnostics. */
export function parseSourceText(text: string, file?: string): SourceDocument {
  const lineCounter = new LineCounter();
  // logLevel 'error': the parser would otherwise print its own warnings (a list used as a
  // mapping key, say) on the user's terminal; what matters reaches them as diagnostics.
  const document = parseDocument(text, { lineCounter, prettyErrors: false, logLevel: 'error' });
  const at = (offset: number): DiagnosticLocation => {
    const { line, col } = lineCounter.linePos(offset);
    return file === undefined ? { line, column: col } : { file, line, column: col };
  };
  const diagnostics: Diagnostic[] = [
    ...document.errors.map((error) =>
      error.code === 'RESOURCE_EXHAUSTION'
        ? tooDeep(at(error.pos[0]))
        : yamlDiagnostic('error', error.message, at(error.pos[0])),
    ),
    ...document.warnings.map((warning) =>
      yamlDiagnostic('warning', warning.message, at(warning.pos[0])),
    ),
  ];
  let value: unknown;
  if (document.errors.length === 0) {
    try {
      value = document.toJS({ maxAliasCount: 100 });
    } catch (error) {
      // toJS throws on alias misuse (an undefined or exploding alias), never on plain data,
      // and its error does not say where: point at the alias that must have caused it.
      const message = error instanceof Error ? error.message : String(error);
      diagnostics.push(yamlDiagnostic('error', message, at(startOf(culpritAlias(document)))));
    }
  }
  return {
    value,
    diagnostics,
    locate: (path, options = {}) => at(offsetOf(document.contents, path, options.key === true)),
  };
}

function yamlDiagnostic(
  severity: Diagnostic['severity'],
  message: string,
  location: DiagnosticLocation,
): Diagnostic {
  return {
    severity,
    code: severity === 'error' ? 'yaml.syntax' : 'yaml.warning',
    message,
    path: [],
    location,
  };
}

/**
 * The YAML parser composes nested collections recursively and reports running out of stack as
 * `RESOURCE_EXHAUSTION` with the engine's own message ("Maximum call stack size exceeded"),
 * which says nothing to a user: say what is wrong with the document instead.
 */
function tooDeep(location: DiagnosticLocation): Diagnostic {
  return {
    severity: 'error',
    code: 'yaml.tooDeep',
    message: 'the document is nested too deeply to read',
    path: [],
    hint: 'a cluster spec is about six levels deep; look for unclosed brackets or runaway indentation here',
    location,
  };
}

/** Walks the node tree along `path`, remembering the deepest key and value found on the way. */
function offsetOf(root: unknown, path: readonly (string | number)[], wantKey: boolean): number {
  let node: unknown = root;
  let keyNode: Node | undefined;
  for (const segment of path) {
    let next: { key: unknown; value: unknown } | undefined;
    if (isMap(node)) {
      const pair = node.items.find((item) =>
        isScalar(item.key) ? item.key.value === segment : item.key === segment,
      );
      if (pair !== undefined) next = { key: pair.key, value: pair.value };
    } else if (isSeq(node) && typeof segment === 'number') {
      const item: unknown = node.items[segment];
      if (item !== undefined) next = { key: undefined, value: item };
    }
    if (next === undefined) return startOf(keyNode ?? node);
    keyNode = hasRange(next.key) ? next.key : undefined;
    node = next.value;
  }
  return startOf(wantKey && keyNode !== undefined ? keyNode : (node ?? keyNode));
}

function hasRange(node: unknown): node is Node {
  return typeof node === 'object' && node !== null && 'range' in node && Array.isArray(node.range);
}

function startOf(node: unknown): number {
  return hasRange(node) && node.range !== undefined && node.range !== null ? node.range[0] : 0;
}

/**
 * The alias a failed `toJS` tripped on: the first one whose anchor is not defined before it, or
 * else (too many aliases expanded) the last one, which is where the expansion ran over the limit
 * in the usual "billion laughs" shape. Undefined when the document has no alias at all.
 */
function culpritAlias(document: Document): Alias | undefined {
  const aliases: Alias[] = [];
  visit(document, {
    Alias: (_key, node) => {
      aliases.push(node);
    },
  });
  return aliases.find((alias) => alias.resolve(document) === undefined) ?? aliases.at(-1);
}
