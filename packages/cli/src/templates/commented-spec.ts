import { clusterSpecJsonSchema } from '@hakoc/core';
import { Document, Pair, Scalar, YAMLMap } from 'yaml';
import type { InitProvider } from './init-providers.js';
import { starterSpec } from './starter-spec.js';

/** Comments are wrapped to this width, so the spec reads well in an 100-column editor. */
const COMMENT_WIDTH = 96;

type SchemaNode = Readonly<Record<string, unknown>>;

/**
 * The spec `hakoc init` writes, for `provider` and a cluster called `name`, to `file` (named in
 * its header comment): YAML with a comment above every field saying what it is and its
 * default. The comments come from the JSON Schema's descriptions, so they say what the parser
 * does and cannot fall behind it. Defaults are written out, so every knob is in view; optional
 * fields and alternatives are commented-out lines.
 */
export function commentedSpec(provider: InitProvider, name: string, file = 'cluster.yaml'): string {
  const starter = starterSpec(provider, name);
  const document = new Document();
  const schema = clusterSpecJsonSchema();
  document.contents = mapFor(document, schema, starter.values, [], starter.commentedOut);
  document.commentBefore = [
    ` hakoc cluster spec for ${provider === 'gce' ? 'Google Compute Engine' : 'Vagrant'}, written by \`hakoc init\`.`,
    ' Every field has its meaning and default above it; commented-out lines are optional fields',
    ' and alternatives. Replace the example values (my-project, example.com…), then check it:',
    `   hakoc validate ${file}`,
  ].join('\n');
  return document.toString({ lineWidth: 0, flowCollectionPadding: false });
}

function mapFor(
  document: Document,
  schema: SchemaNode,
  given: unknown,
  path: readonly string[],
  commentedOut: Readonly<Record<string, string>>,
): YAMLMap {
  const map = new YAMLMap();
  const values = isRecord(given) ? given : {};
  let pending: string[] = [];
  for (const [key, property] of Object.entries(propertiesOf(schema))) {
    const here = [...path, key];
    const about = describe(property, here.length);
    const replacement = commentedOut[here.join('.')];
    const value = values[key] ?? property.default;
    if (replacement !== undefined || value === undefined) {
      if (replacement === undefined) {
        // A new optional field in the schema needs a line in starter-spec.ts.
        throw new Error(`hakoc init has no example for ${here.join('.')}`);
      }
      pending.push(...about, ` ${replacement}`);
      continue;
    }
    const node =
      isRecord(value) &&
      propertiesOf(property) !== undefined &&
      Object.keys(propertiesOf(property)).length > 0
        ? mapFor(document, property, value, here, commentedOut)
        : document.createNode(value, { flow: true });
    const keyNode = new Scalar(key);
    keyNode.commentBefore = [...pending, ...about].join('\n');
    // A blank line between the sections of `spec` and of the document.
    keyNode.spaceBefore = here.length <= 2 && map.items.length > 0;
    pending = [];
    map.items.push(new Pair(keyNode, node));
  }
  if (pending.length > 0) map.comment = pending.join('\n');
  return map;
}

/** The comment lines above a field: its description, wrapped, and its default. */
function describe(property: SchemaNode, depth: number): string[] {
  const description = typeof property.description === 'string' ? property.description : '';
  const fallback = property.default;
  const width = COMMENT_WIDTH - 2 * (depth - 1) - 2;
  const lines = wrap(description, width);
  if (fallback !== undefined && !isRecord(fallback)) lines.push(`Default: ${inline(fallback)}.`);
  return lines.map((line) => ` ${line}`);
}

function inline(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(inline).join(', ')}]`;
  return String(value);
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  if (line !== '') lines.push(line);
  return lines;
}

function propertiesOf(schema: SchemaNode): Record<string, SchemaNode> {
  const properties = schema.properties;
  if (!isRecord(properties)) return {};
  return Object.fromEntries(
    Object.entries(properties).filter((entry): entry is [string, SchemaNode] => isRecord(entry[1])),
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
