import {
  buildClusterModel,
  type Diagnostic,
  type ParseResult,
  parseClusterSpec,
} from '@hakoc/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { exampleText, gceInput, vagrantInput } from '../spec/fixtures.js';
import { recordReliability } from './support/results.js';

// Property-based fuzzing of the spec entry point: valid specs broken one to four ways, as
// objects and as YAML text, and text no one meant as a spec. Whatever comes in, parseClusterSpec
// answers with diagnostics that say where, and a spec it accepts always makes a model with
// names safe to use for files, labels and machines.

const SEED = 20261210;
const OBJECT_RUNS = 5_000;
const TEXT_RUNS = 5_000;
const JUNK_RUNS = 1_000;

type Path = readonly (string | number)[];

/** A safe name: what GCE and Vagrant machine names, labels and file names are made of. */
const SAFE_NAME = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_VALUE = /^[-_a-z0-9]{0,63}$/;

/** Strings that end up in file names, labels and commands if nothing stops them. */
const hostileStrings = fc.constantFrom(
  '../../etc/passwd',
  'a/b',
  'a\\b',
  '/absolute',
  '.',
  '..',
  '$(touch /tmp/pwned)',
  '`id`',
  'a;rm -rf ~',
  'a && b',
  'a|b',
  'a\'b"c',
  'a b',
  'a\nb',
  'a\u0000b',
  '-rf',
  '*',
  '%s%n',
  '{{template}}',
  '\u0024{HOME}', // ${HOME}, a shell expansion
  'ДЕМО',
  'demo\u200b',
  'x'.repeat(300),
  '',
);

/** Keys that mean something to JavaScript objects. */
const prototypeKeys = fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString');

/** Every path in a document, containers included, so mutations reach every level. */
function pathsOf(value: unknown, path: Path = []): Path[] {
  const paths: Path[] = [path];
  if (Array.isArray(value)) {
    value.forEach((item, index) => {
      paths.push(...pathsOf(item, [...path, index]));
    });
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) paths.push(...pathsOf(item, [...path, key]));
  }
  return paths;
}

function containerAt(document: unknown, path: Path): Record<string | number, unknown> | undefined {
  let node = document;
  for (const segment of path) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string | number, unknown>)[segment];
  }
  return typeof node === 'object' && node !== null
    ? (node as Record<string | number, unknown>)
    : undefined;
}

/** Sets an own property, even `__proto__`, as JSON.parse or a YAML parser would. */
function defineOwn(target: Record<string | number, unknown>, key: string | number, value: unknown) {
  Object.defineProperty(target, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}

/** One way to break a document; returns the path it touched. */
type Mutation = (document: Record<string, unknown>, paths: readonly Path[]) => Path;

const pick = (paths: readonly Path[], index: number): Path => paths[index % paths.length] ?? [];

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  // Replace a value with any JSON value.
  fc.tuple(fc.nat(), fc.jsonValue({ maxDepth: 2 })).map(
    ([i, value]): Mutation =>
      (document, paths) => {
        const path = pick(paths, i);
        const parent = containerAt(document, path.slice(0, -1));
        const last = path.at(-1);
        if (parent !== undefined && last !== undefined) parent[last] = value;
        return path;
      },
  ),
  // Replace a value with a hostile string.
  fc.tuple(fc.nat(), hostileStrings).map(
    ([i, value]): Mutation =>
      (document, paths) => {
        const path = pick(paths, i);
        const parent = containerAt(document, path.slice(0, -1));
        const last = path.at(-1);
        if (parent !== undefined && last !== undefined) parent[last] = value;
        return path;
      },
  ),
  // Delete a field or a list item.
  fc.nat().map(
    (i): Mutation =>
      (document, paths) => {
        const path = pick(paths, i);
        const parent = containerAt(document, path.slice(0, -1));
        const last = path.at(-1);
        if (parent === undefined || last === undefined) return path;
        if (Array.isArray(parent) && typeof last === 'number') parent.splice(last, 1);
        else delete parent[last];
        return path;
      },
  ),
  // Misspell a key (the classic typo) or rename it to something hostile.
  fc.tuple(fc.nat(), fc.oneof(fc.string({ minLength: 1, maxLength: 12 }), hostileStrings)).map(
    ([i, name]): Mutation =>
      (document, paths) => {
        const path = pick(paths, i);
        const parent = containerAt(document, path.slice(0, -1));
        const last = path.at(-1);
        if (parent === undefined || typeof last !== 'string' || Array.isArray(parent)) return path;
        const value = parent[last];
        delete parent[last];
        defineOwn(parent, name, value);
        return [...path.slice(0, -1), name];
      },
  ),
  // Add a key that means something to JavaScript, with any value.
  fc.tuple(fc.nat(), prototypeKeys, fc.jsonValue({ maxDepth: 2 })).map(
    ([i, key, value]): Mutation =>
      (document, paths) => {
        const path = pick(paths, i);
        const target = containerAt(document, path);
        if (target === undefined || Array.isArray(target)) return path;
        defineOwn(target, key, value);
        return [...path, key];
      },
  ),
  // Wrap a value in a list, or a list item in a mapping.
  fc.nat().map(
    (i): Mutation =>
      (document, paths) => {
        const path = pick(paths, i);
        const parent = containerAt(document, path.slice(0, -1));
        const last = path.at(-1);
        if (parent !== undefined && last !== undefined) parent[last] = [parent[last]];
        return path;
      },
  ),
  // Turn a number into text or text into a number: what YAML quoting mistakes do.
  fc.tuple(fc.nat(), fc.integer({ min: -5, max: 100 })).map(
    ([i, n]): Mutation =>
      (document, paths) => {
        const path = pick(paths, i);
        const parent = containerAt(document, path.slice(0, -1));
        const last = path.at(-1);
        if (parent === undefined || last === undefined) return path;
        const value = parent[last];
        parent[last] = typeof value === 'number' ? String(value) : n;
        return path;
      },
  ),
);

/** Checks that hold for every answer: well-formed diagnostics, and an error when refused. */
function checkAnswer(result: ParseResult): void {
  // Plain checks collected into one assertion: thousands of cases stay fast.
  const problems = result.diagnostics.flatMap(diagnosticProblems);
  if (!result.ok && !result.diagnostics.some((d) => d.severity === 'error')) {
    problems.push('refused without an error');
  }
  expect(problems).toEqual([]);
}

const CODE = /^[a-z][A-Za-z]*\.[A-Za-z]+$/;

function diagnosticProblems(diagnostic: Diagnostic): string[] {
  const problems: string[] = [];
  const about = JSON.stringify(diagnostic);
  if (diagnostic.severity !== 'error' && diagnostic.severity !== 'warning') {
    problems.push(`severity: ${about}`);
  }
  if (!CODE.test(diagnostic.code)) problems.push(`code: ${about}`);
  // An internal error would be our bug surfacing as a diagnostic: never acceptable here.
  if (diagnostic.code === 'spec.internal') problems.push(`internal: ${about}`);
  if (diagnostic.message.trim() === '') problems.push(`message: ${about}`);
  if (
    !Array.isArray(diagnostic.path) ||
    !diagnostic.path.every((s) => typeof s === 'string' || typeof s === 'number')
  ) {
    problems.push(`path: ${about}`);
  }
  return problems;
}

/** A spec that was accepted makes a model whose every name is safe to use anywhere. */
function checkAccepted(result: ParseResult): void {
  if (!result.ok) return;
  const model = buildClusterModel(result.spec);
  const names = [
    model.name,
    ...Object.values(model.machineSets).flatMap((set) => [
      set.name,
      ...set.machines.map((m) => m.name),
    ]),
  ];
  for (const name of names) {
    expect(name).toMatch(SAFE_NAME);
    expect(name.length).toBeLessThanOrEqual(63);
  }
  for (const [key, value] of Object.entries(model.labels)) {
    expect(key).toMatch(SAFE_NAME);
    expect(value).toMatch(LABEL_VALUE);
  }
}

/**
 * An error with a path points into the document: at a field that is there, or at a missing one
 * whose parent is there.
 */
function checkPathsPointIn(result: ParseResult, document: unknown): void {
  for (const diagnostic of result.diagnostics) {
    if (diagnostic.severity !== 'error' || diagnostic.path.length === 0) continue;
    const parent = diagnostic.path.slice(0, -1);
    expect(containerAt(document, parent), JSON.stringify(diagnostic)).toBeDefined();
  }
}

const base = fc.boolean().map((gce) => (gce ? gceInput() : vagrantInput()));

describe('parseClusterSpec fuzzed', () => {
  it(`answers ${OBJECT_RUNS} broken spec objects with located diagnostics, never a throw`, async () => {
    await recordReliability(
      {
        id: 'spec-fuzz-objects',
        area: 'Hostile and broken input',
        test: 'parseClusterSpec on valid specs broken 1–4 ways as objects (values of any type, hostile strings, deleted, misspelt and `__proto__`/`constructor` keys, wrapped, retyped)',
        unit: 'specs',
        held: 'no throw; well-formed diagnostics with field paths, an error for every refusal; no prototype pollution; every accepted spec builds a model with safe names',
        seed: SEED,
        file: import.meta.url,
      },
      (cases) => {
        fc.assert(
          fc.property(base, fc.array(mutation, { minLength: 1, maxLength: 4 }), (input, steps) => {
            const document = input as unknown as Record<string, unknown>;
            for (const step of steps) step(document, pathsOf(document));
            const result = parseClusterSpec(document);
            checkAnswer(result);
            checkPathsPointIn(result, document);
            checkAccepted(result);
            expect(Object.keys(Object.prototype)).toEqual([]);
            cases.add();
          }),
          { seed: SEED, numRuns: OBJECT_RUNS },
        );
      },
    );
  }, 120_000);

  it(`answers ${TEXT_RUNS} mutated YAML texts with diagnostics located in the text`, async () => {
    const examples = [exampleText('gce'), exampleText('vagrant'), stringify(gceInput())];
    await recordReliability(
      {
        id: 'spec-fuzz-yaml',
        area: 'Hostile and broken input',
        test: 'parseClusterSpec on the example specs as YAML with 1–4 text edits (lines deleted, doubled, swapped, re-indented, truncated; YAML indicators, anchors, aliases, tags, tabs, control and non-ASCII characters inserted)',
        unit: 'texts',
        held: 'no throw; every diagnostic has a field path and a line:column inside the text; an error for every refusal; every accepted spec builds a model with safe names',
        seed: SEED,
        file: import.meta.url,
      },
      (cases) => {
        fc.assert(
          fc.property(
            fc.constantFrom(...examples),
            fc.array(textEdit, { minLength: 1, maxLength: 4 }),
            (example, edits) => {
              const text = edits.reduce((current, edit) => edit(current), example);
              const result = parseClusterSpec(text, { file: 'fuzz.yaml' });
              checkAnswer(result);
              const lines = text.split('\n').length;
              const unlocated = result.diagnostics.filter(
                ({ location }) =>
                  location?.file !== 'fuzz.yaml' ||
                  !(location.line >= 1 && location.line <= lines + 1) ||
                  !(location.column >= 1),
              );
              expect(unlocated).toEqual([]);
              checkAccepted(result);
              cases.add();
            },
          ),
          { seed: SEED, numRuns: TEXT_RUNS },
        );
      },
    );
  }, 120_000);

  it(`answers ${JUNK_RUNS} inputs that are not specs at all`, async () => {
    await recordReliability(
      {
        id: 'spec-fuzz-junk',
        area: 'Hostile and broken input',
        test: 'parseClusterSpec on arbitrary values (any JavaScript value fast-check makes) and arbitrary Unicode text',
        unit: 'inputs',
        held: 'no throw; well-formed diagnostics; always refused',
        seed: SEED,
        file: import.meta.url,
      },
      (cases) => {
        fc.assert(
          fc.property(
            fc.oneof(fc.anything(), fc.string({ unit: 'binary', maxLength: 300 })),
            (junk) => {
              const result = parseClusterSpec(junk);
              checkAnswer(result);
              expect(result.ok).toBe(false);
              cases.add();
            },
          ),
          { seed: SEED, numRuns: JUNK_RUNS },
        );
      },
    );
  }, 120_000);
});

/** YAML's indicators and the characters that trip parsers. */
const trouble = fc.constantFrom(
  ':',
  ': ',
  '- ',
  '? ',
  '[',
  ']',
  '{',
  '}',
  ',',
  '#',
  '&a ',
  '*a',
  '*nope',
  '!!binary ',
  '!custom ',
  '<<: *a',
  '|',
  '>-',
  "'",
  '"',
  '%YAML 1.1\n',
  '---\n',
  '...\n',
  '\t',
  '\n',
  '\r\n',
  '\u0000',
  '\u0085',
  '\ufeff',
  '\u2028',
  'é',
  '😀',
  '\\',
  '@',
  '`',
);

type TextEdit = (text: string) => string;

const lineEdit = (edit: (lines: string[], i: number, j: number) => void) =>
  fc.tuple(fc.nat(), fc.nat()).map(
    ([i, j]): TextEdit =>
      (text) => {
        const lines = text.split('\n');
        edit(lines, i % lines.length, j % lines.length);
        return lines.join('\n');
      },
  );

const textEdit: fc.Arbitrary<TextEdit> = fc.oneof(
  lineEdit((lines, i) => {
    lines.splice(i, 1);
  }),
  lineEdit((lines, i) => {
    lines.splice(i, 0, lines[i] ?? '');
  }),
  lineEdit((lines, i, j) => {
    const a = lines[i] ?? '';
    lines[i] = lines[j] ?? '';
    lines[j] = a;
  }),
  fc.tuple(fc.nat(), fc.integer({ min: -4, max: 6 })).map(
    ([i, shift]): TextEdit =>
      (text) => {
        const lines = text.split('\n');
        const at = i % lines.length;
        const line = lines[at] ?? '';
        lines[at] =
          shift >= 0 ? ' '.repeat(shift) + line : line.slice(Math.min(-shift, line.length));
        return lines.join('\n');
      },
  ),
  fc.tuple(fc.nat(), trouble).map(
    ([i, insert]): TextEdit =>
      (text) => {
        const at = i % (text.length + 1);
        return text.slice(0, at) + insert + text.slice(at);
      },
  ),
  fc.tuple(fc.nat(), fc.integer({ min: 1, max: 12 })).map(
    ([i, length]): TextEdit =>
      (text) => {
        const at = i % (text.length + 1);
        return text.slice(0, at) + text.slice(at + length);
      },
  ),
  fc.nat().map(
    (i): TextEdit =>
      (text) =>
        text.slice(0, i % (text.length + 1)),
  ),
  fc.tuple(fc.nat(), fc.string({ unit: 'grapheme', maxLength: 8 })).map(
    ([i, insert]): TextEdit =>
      (text) => {
        const at = i % (text.length + 1);
        return text.slice(0, at) + insert + text.slice(at);
      },
  ),
  fc.tuple(fc.nat(), hostileStrings).map(
    ([i, value]): TextEdit =>
      (text) => {
        // Replace one scalar value (what follows ": " on a line) with a hostile one, quoted.
        const lines = text.split('\n');
        const at = i % lines.length;
        lines[at] = (lines[at] ?? '').replace(/: .*$/, `: ${JSON.stringify(value)}`);
        return lines.join('\n');
      },
  ),
);
