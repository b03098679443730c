import { badPayload } from './errors.js';
import { isJsonObject, type Json, type JsonObject } from './json.js';

/**
 * GCE's list `filter`, the subset the emulator understands:
 *
 * - comparisons `field = value`, `field != value`, `field : value` (substring; `field:*` means
 *   "has the field"), `<`, `>`, `<=`, `>=`, and the legacy `field eq regex` / `field ne regex`
 *   (RE2 full match, here JavaScript RegExp);
 * - nested fields with dots (`labels.hakoc-cluster`, `networkInterfaces.network`); a field inside
 *   a list matches when any element matches;
 * - values bare or double-quoted;
 * - parenthesised expressions, `AND`, `OR`, `NOT`, and juxtaposition meaning `AND`
 *   (`(labels.a = x) (labels.b = y)`).
 */

/** A compiled filter. */
export type FilterPredicate = (resource: JsonObject) => boolean;

interface Token {
  readonly kind: 'word' | 'string' | 'op' | 'open' | 'close';
  readonly text: string;
}

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input.charAt(i);
    if (/\s/.test(c)) {
      i++;
    } else if (c === '(' || c === ')') {
      tokens.push({ kind: c === '(' ? 'open' : 'close', text: c });
      i++;
    } else if (c === '"') {
      let j = i + 1;
      let text = '';
      while (j < input.length && input.charAt(j) !== '"') {
        if (input.charAt(j) === '\\') j++;
        text += input.charAt(j);
        j++;
      }
      if (j >= input.length)
        throw badPayload(`Invalid list filter expression: unterminated string`);
      tokens.push({ kind: 'string', text });
      i = j + 1;
    } else {
      const op = /^(!=|<=|>=|=|:|<|>)/.exec(input.slice(i));
      if (op) {
        tokens.push({ kind: 'op', text: op[1] ?? '' });
        i += (op[1] ?? '').length;
      } else {
        const word = /^[^\s()"=!:<>]+/.exec(input.slice(i));
        const text = word?.[0] ?? c;
        tokens.push({ kind: 'word', text });
        i += text.length;
      }
    }
  }
  return tokens;
}

function valuesAt(resource: Json, path: readonly string[]): Json[] {
  if (path.length === 0) return Array.isArray(resource) ? resource : [resource];
  if (Array.isArray(resource)) return resource.flatMap((item) => valuesAt(item, path));
  if (!isJsonObject(resource)) return [];
  const [head, ...rest] = path;
  const next = resource[head ?? ''];
  return next === undefined ? [] : valuesAt(next, rest);
}

function asText(value: Json): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function compare(op: string, actual: Json, expected: string): boolean {
  const text = asText(actual);
  switch (op) {
    case '=':
      return text === expected;
    case '!=':
      return text !== expected;
    case ':':
      return expected === '*' || text.includes(expected);
    case 'eq':
      return new RegExp(`^(?:${expected})$`).test(text);
    case 'ne':
      return !new RegExp(`^(?:${expected})$`).test(text);
    default: {
      const a = Number(text);
      const b = Number(expected);
      const [x, y] = Number.isFinite(a) && Number.isFinite(b) ? [a, b] : [text, expected];
      if (op === '<') return x < y;
      if (op === '>') return x > y;
      if (op === '<=') return x <= y;
      return x >= y;
    }
  }
}

class Parser {
  #pos = 0;
  readonly tokens: readonly Token[];

  constructor(tokens: readonly Token[]) {
    this.tokens = tokens;
  }

  parse(): FilterPredicate {
    const predicate = this.#expression();
    if (this.#pos < this.tokens.length) throw this.#error();
    return predicate;
  }

  #peek(): Token | undefined {
    return this.tokens[this.#pos];
  }

  #error(): Error {
    return badPayload(`Invalid list filter expression near token ${this.#pos + 1}.`);
  }

  #expression(): FilterPredicate {
    let left = this.#term();
    for (;;) {
      const next = this.#peek();
      if (!next || next.kind === 'close') return left;
      if (next.kind === 'word' && (next.text === 'OR' || next.text === 'AND')) {
        this.#pos++;
        const right = this.#term();
        const l = left;
        left = next.text === 'OR' ? (r) => l(r) || right(r) : (r) => l(r) && right(r);
      } else {
        const right = this.#term();
        const l = left;
        left = (r) => l(r) && right(r);
      }
    }
  }

  #term(): FilterPredicate {
    const token = this.#peek();
    if (!token) throw this.#error();
    if (token.kind === 'word' && (token.text === 'NOT' || token.text === '-')) {
      this.#pos++;
      const inner = this.#term();
      return (r) => !inner(r);
    }
    if (token.kind === 'open') {
      this.#pos++;
      const inner = this.#expression();
      if (this.#peek()?.kind !== 'close') throw this.#error();
      this.#pos++;
      return inner;
    }
    return this.#comparison();
  }

  #comparison(): FilterPredicate {
    const field = this.tokens[this.#pos++];
    const op = this.tokens[this.#pos++];
    const value = this.tokens[this.#pos++];
    const isOp =
      op?.kind === 'op' || (op?.kind === 'word' && (op.text === 'eq' || op.text === 'ne'));
    if (field?.kind !== 'word' || !op || !isOp || !value) throw this.#error();
    if (value.kind !== 'word' && value.kind !== 'string') throw this.#error();
    const path = field.text.split('.');
    const operator = op.text;
    const expected = value.text;
    return (resource) => {
      const found = valuesAt(resource, path);
      if (operator === '!=' || operator === 'ne') {
        return found.length === 0 || found.every((v) => compare(operator, v, expected));
      }
      return found.some((v) => compare(operator, v, expected));
    };
  }
}

/** Compiles a `filter` query parameter; an empty filter matches everything. */
export function compileFilter(filter: string | null | undefined): FilterPredicate {
  if (!filter || filter.trim() === '') return () => true;
  return new Parser(tokenize(filter)).parse();
}
