// Writes docs/spec.md, the cluster spec reference, from docs/cluster-spec.schema.json: one
// section per object, one table row per field (type, default, limits, description). Run by
// `npm run schema` after the schema file; a test fails while docs/spec.md is stale.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const schemaPath = join(root, 'docs', 'cluster-spec.schema.json');
const target = join(root, 'docs', 'spec.md');

/**
 * The Markdown reference of a cluster spec JSON Schema. Deterministic: the same schema gives
 * the same text.
 * @param {Record<string, unknown>} schema
 * @returns {string}
 */
export function specReference(schema) {
  const sections = [];
  collectSections(schema, [], sections);
  const lines = [
    '# Cluster spec reference',
    '',
    '<!-- Generated from docs/cluster-spec.schema.json by scripts/write-spec-doc.mjs (`npm run schema`). Do not edit. -->',
    '',
    'A cluster spec is a YAML (or JSON) document; `hakoc validate` checks it and reports every',
    'problem at once with its line and column. The same rules are in the',
    '[JSON Schema](cluster-spec.schema.json): point your editor at it for completion and hover',
    'help. Examples: [examples/gce.yaml](../examples/gce.yaml) and',
    '[examples/vagrant.yaml](../examples/vagrant.yaml); `hakoc init` writes a commented one.',
    '',
    'In the tables, *required* fields must be given, a dash marks an optional field without a',
    'default, and *see fields* an object whose fields have their own defaults. hakoc also checks',
    'what a schema cannot say (overlapping CIDRs, zones outside the region, an even etcd count):',
    'run `hakoc validate`.',
  ];
  for (const section of sections) lines.push('', ...renderSection(section));
  return `${lines.join('\n')}\n`;
}

/** Every object with properties, depth first, in schema order. */
function collectSections(node, path, sections) {
  if (!isObject(node.properties)) return;
  sections.push({ path, node });
  for (const [name, child] of Object.entries(node.properties)) {
    collectSections(child, [...path, name], sections);
  }
}

function renderSection({ path, node }) {
  const title = path.length === 0 ? 'Document' : path.join('.');
  const lines = [`## ${title}`, ''];
  if (typeof node.description === 'string') lines.push(prose(oneLine(node.description)), '');
  const choice = choiceOf(node);
  if (choice !== undefined) lines.push(choice, '');
  lines.push('| Field | Type | Default | Description |', '| --- | --- | --- | --- |');
  const required = new Set(Array.isArray(node.required) ? node.required : []);
  for (const [name, field] of Object.entries(node.properties)) {
    const fieldPath = [...path, name];
    const nameCell = isObject(field.properties)
      ? `[\`${name}\`](#${slug(fieldPath.join('.'))})`
      : `\`${name}\``;
    const description = [
      typeof field.description === 'string' ? oneLine(field.description) : '',
      ...limitsOf(field),
    ]
      .filter((part) => part !== '')
      .join(' ');
    lines.push(
      `| ${nameCell} | ${typeOf(field)} | ${defaultOf(field, required.has(name))} | ${cell(description)} |`,
    );
  }
  return lines;
}

/** A sentence for `oneOf` alternatives that only differ in what they require. */
function choiceOf(node) {
  if (!Array.isArray(node.oneOf)) return undefined;
  const options = node.oneOf.map((option) =>
    (Array.isArray(option.required) ? option.required : [])
      .map((name) => `\`${name}\``)
      .join(' and '),
  );
  return `Give exactly one of: ${options.join('; ')}.`;
}

function typeOf(field) {
  if (field.const !== undefined) return cell(`\`${JSON.stringify(field.const)}\``);
  if (Array.isArray(field.enum))
    return cell(field.enum.map((v) => `\`${JSON.stringify(v)}\``).join(' \\| '));
  if (field.type === 'array') {
    const items = isObject(field.items) ? typeOf(field.items) : 'any';
    return `array of ${items}`;
  }
  if (field.type === 'string' && typeof field.format === 'string')
    return `string (${field.format})`;
  return typeof field.type === 'string' ? field.type : 'any';
}

function defaultOf(field, required) {
  if (field.default === undefined) return required ? '*required*' : '–';
  // An object's defaults are its fields' own, listed in its section.
  if (isObject(field.default) && isObject(field.properties)) return 'see fields';
  return cell(`\`${JSON.stringify(field.default)}\``);
}

function limitsOf(field) {
  const limits = [];
  if (field.minimum !== undefined && field.maximum !== undefined) {
    limits.push(`${field.minimum} to ${field.maximum}.`);
  } else if (field.minimum !== undefined) {
    limits.push(`At least ${field.minimum}.`);
  } else if (field.maximum !== undefined) {
    limits.push(`At most ${field.maximum}.`);
  }
  if (field.exclusiveMinimum !== undefined) limits.push(`Greater than ${field.exclusiveMinimum}.`);
  if (field.minItems !== undefined) {
    limits.push(field.minItems === 1 ? 'At least one item.' : `At least ${field.minItems} items.`);
  }
  if (field.minLength !== undefined && field.minLength > 1) {
    limits.push(`At least ${field.minLength} characters.`);
  }
  if (typeof field.pattern === 'string') limits.push(`Must match \`${field.pattern}\`.`);
  return limits;
}

/** GitHub's heading anchor: lowercase, punctuation other than - and _ dropped, spaces to -. */
function slug(heading) {
  return heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');
}

function oneLine(text) {
  return text.replace(/\s+/g, ' ').trim();
}

/** Text safe inside a Markdown table cell. */
function cell(text) {
  return prose(text.replace(/\r?\n/g, ' ')).replace(/(?<!\\)\|/g, '\\|');
}

/** `<` and `>` outside code spans as entities, so `api.<domain>` is not read as an HTML tag. */
function prose(text) {
  return text
    .split(/(`[^`]*`)/)
    .map((part) => (part.startsWith('`') ? part : part.replace(/</g, '&lt;').replace(/>/g, '&gt;')))
    .join('');
}

function isObject(value) {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(target, specReference(JSON.parse(readFileSync(schemaPath, 'utf8'))));
  process.stderr.write(`wrote ${target}\n`);
}
