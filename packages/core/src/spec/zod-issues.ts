import type * as z from 'zod';
import type { Diagnostic } from './diagnostic.js';
import { isRecord } from './is-record.js';
import { schemaAt } from './json-schema.js';
import { error } from './rules/rule.js';
import { closestMatch } from './suggest.js';

/**
 * Turns zod's issues into diagnostics with stable codes, plain-English messages and hints.
 * `input` is the raw document, needed to tell a missing field from a wrong one.
 */
export function diagnosticsFromIssues(
  issues: readonly z.core.$ZodIssue[],
  input: unknown,
): Diagnostic[] {
  return issues.flatMap((issue) => fromIssue(issue, input));
}

function fromIssue(issue: z.core.$ZodIssue, input: unknown): Diagnostic[] {
  const path = issue.path.filter((segment) => typeof segment !== 'symbol');
  const at = (code: string, message: string, hint?: string): Diagnostic[] => [
    error(code, path, message, hint),
  ];
  const field = valueAt(input, path);
  const description = describedAs(path);
  switch (issue.code) {
    case 'invalid_type':
      if (!field.present) {
        return at('spec.required', `${lastName(path)} is required`, description);
      }
      return at(
        'spec.type',
        `expected ${expectedName(issue.expected)}, got ${describeValue(field.value)}`,
        typeHint(issue.expected, field.value) ?? description,
      );
    case 'unrecognized_keys': {
      const known = Object.keys(schemaAt(path)?.properties ?? {});
      return issue.keys.map((key) => {
        const suggestion = closestMatch(key, known);
        return error(
          'spec.unknownField',
          [...path, key],
          `unknown field "${key}"`,
          suggestion === undefined
            ? `fields allowed here: ${known.join(', ')}`
            : `did you mean "${suggestion}"?`,
        );
      });
    }
    case 'invalid_value': {
      const allowed = issue.values.map((value) => JSON.stringify(value));
      const suggestion =
        typeof field.value === 'string'
          ? closestMatch(field.value, issue.values.map(String))
          : undefined;
      return at(
        'spec.invalidValue',
        allowed.length === 1
          ? `must be ${allowed[0]}, got ${describeValue(field.value)}`
          : `${describeValue(field.value)} is not one of ${allowed.join(', ')}`,
        suggestion === undefined ? description : `did you mean "${suggestion}"?`,
      );
    }
    case 'too_small':
      return at('spec.tooSmall', boundMessage('at least', issue), description);
    case 'too_big':
      return at('spec.tooBig', boundMessage('at most', issue), description);
    case 'custom': {
      const params = isRecord(issue.params) ? issue.params : {};
      const code = typeof params.code === 'string' ? params.code : 'spec.invalid';
      const hint = typeof params.hint === 'string' ? params.hint : description;
      return at(code, issue.message, hint);
    }
    default:
      return at('spec.invalid', issue.message, description);
  }
}

function boundMessage(
  word: 'at least' | 'at most',
  issue: z.core.$ZodIssueTooSmall | z.core.$ZodIssueTooBig,
): string {
  const bound = 'minimum' in issue ? issue.minimum : issue.maximum;
  if (issue.origin === 'array') return `must have ${word} ${bound} item${bound === 1 ? '' : 's'}`;
  if (issue.origin === 'string') {
    return word === 'at least' && bound === 1
      ? 'must not be empty'
      : `must be ${word} ${bound} characters`;
  }
  if (issue.inclusive === false)
    return `must be ${word === 'at least' ? 'more' : 'less'} than ${bound}`;
  return `must be ${word} ${bound}`;
}

function valueAt(
  input: unknown,
  path: readonly (string | number)[],
): { present: boolean; value: unknown } {
  let value: unknown = input;
  for (const segment of path) {
    if (Array.isArray(value) && typeof segment === 'number' && segment < value.length) {
      value = value[segment];
    } else if (isRecord(value) && typeof segment === 'string' && Object.hasOwn(value, segment)) {
      value = value[segment];
    } else {
      return { present: false, value: undefined };
    }
  }
  return { present: value !== undefined, value };
}

function describedAs(path: readonly (string | number)[]): string | undefined {
  const description = path.length === 0 ? undefined : schemaAt(path)?.description;
  return typeof description === 'string' ? `${lastName(path)}: ${description}` : undefined;
}

function lastName(path: readonly (string | number)[]): string {
  const last = path.at(-1);
  return last === undefined ? 'the document' : String(last);
}

const expectedNames: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  object: 'a mapping',
  array: 'a list',
};

function expectedName(expected: string): string {
  return expectedNames[expected] ?? expected;
}

/** What a value looks like to a YAML author: `a list`, `the number 1.5`, `"abc"`. */
function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') return `the number ${value}`;
  // Only reachable if a bigint slips past toPlainData; "got 10" would hide why 10 is refused.
  if (typeof value === 'bigint') return `the bigint ${value}n`;
  return String(value);
}

function typeHint(expected: string, value: unknown): string | undefined {
  if (expected === 'string' && (typeof value === 'number' || typeof value === 'boolean')) {
    return `YAML reads this as ${typeof value === 'number' ? 'a number' : 'a boolean'}; put it in quotes`;
  }
  if (expected === 'int' && typeof value === 'number') return 'use a whole number';
  if (expected === 'array' && (typeof value === 'string' || typeof value === 'number')) {
    return `write a list, even of one item: [${value}]`;
  }
  if ((expected === 'number' || expected === 'int') && typeof value === 'string') {
    return 'write the number without quotes';
  }
  return undefined;
}
