import { badRequest } from './graphError';

/**
 * The part of OData $filter the bot and its tools use on directory objects:
 * `eq`, `ne`, `in (…)`, `startswith(prop,'v')`, `and`, `or`, `not`, parentheses.
 * String comparisons are case-insensitive, as the directory's are.
 */

export type FilterOperator = 'eq' | 'ne' | 'in' | 'startswith';

export interface FilterableProperty {
  type: 'string' | 'boolean';
  operators: readonly FilterOperator[];
}

export type FilterCatalog = Readonly<Record<string, FilterableProperty>>;

/** Graph refuses filters with more comparisons than this (each value of an `in` counts). */
export const MAX_FILTER_EXPRESSIONS = 15;

type Literal = string | boolean | null;

type FilterNode =
  | { kind: 'compare'; operator: 'eq' | 'ne'; property: string; value: Literal }
  | { kind: 'in'; property: string; values: Literal[] }
  | { kind: 'startswith'; property: string; value: string }
  | { kind: 'and' | 'or'; left: FilterNode; right: FilterNode }
  | { kind: 'not'; operand: FilterNode };

type Token =
  | { type: 'word'; text: string; position: number }
  | { type: 'string'; text: string; position: number }
  | { type: 'punctuation'; text: '(' | ')' | ','; position: number };

export type FilterPredicate = (object: Record<string, unknown>) => boolean;

export function compileFilter(text: string, catalog: FilterCatalog, resource: string): FilterPredicate {
  const node = new Parser(text, tokenize(text)).parse();
  const expressions = countExpressions(node);
  if (expressions > MAX_FILTER_EXPRESSIONS) {
    throw badRequest(
      `Too many child clauses specified in search filter expression containing 'OR' operators: ${expressions}. Max allowed: ${MAX_FILTER_EXPRESSIONS}.`,
      'Request_UnsupportedQuery',
    );
  }
  checkSupported(node, catalog, resource);
  return compileNode(node);
}

function syntaxError(text: string, position: number): never {
  throw badRequest(`Invalid filter clause: Syntax error at position ${position} in '${text}'.`, 'BadRequest');
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const char = text[i];
    if (/\s/.test(char)) {
      i += 1;
    } else if (char === '(' || char === ')' || char === ',') {
      tokens.push({ type: 'punctuation', text: char, position: i });
      i += 1;
    } else if (char === "'") {
      const start = i;
      let value = '';
      i += 1;
      for (;;) {
        if (i >= text.length) syntaxError(text, start);
        if (text[i] === "'") {
          if (text[i + 1] === "'") {
            value += "'";
            i += 2;
            continue;
          }
          i += 1;
          break;
        }
        value += text[i];
        i += 1;
      }
      tokens.push({ type: 'string', text: value, position: start });
    } else {
      const match = /^[A-Za-z_][A-Za-z0-9_./]*/.exec(text.slice(i));
      if (!match) syntaxError(text, i);
      tokens.push({ type: 'word', text: match[0], position: i });
      i += match[0].length;
    }
  }
  return tokens;
}

class Parser {
  private index = 0;

  constructor(
    private readonly text: string,
    private readonly tokens: Token[],
  ) {}

  parse(): FilterNode {
    const node = this.or();
    if (this.index < this.tokens.length) this.fail();
    return node;
  }

  private fail(): never {
    syntaxError(this.text, this.tokens[this.index]?.position ?? this.text.length);
  }

  private peekWord(): string | undefined {
    const token = this.tokens[this.index];
    return token?.type === 'word' ? token.text.toLowerCase() : undefined;
  }

  private expect(text: '(' | ')' | ','): void {
    const token = this.tokens[this.index];
    if (token?.type !== 'punctuation' || token.text !== text) this.fail();
    this.index += 1;
  }

  private or(): FilterNode {
    let left = this.and();
    while (this.peekWord() === 'or') {
      this.index += 1;
      left = { kind: 'or', left, right: this.and() };
    }
    return left;
  }

  private and(): FilterNode {
    let left = this.unary();
    while (this.peekWord() === 'and') {
      this.index += 1;
      left = { kind: 'and', left, right: this.unary() };
    }
    return left;
  }

  private unary(): FilterNode {
    if (this.peekWord() === 'not') {
      this.index += 1;
      return { kind: 'not', operand: this.unary() };
    }
    return this.primary();
  }

  private primary(): FilterNode {
    const token = this.tokens[this.index];
    if (token?.type === 'punctuation' && token.text === '(') {
      this.index += 1;
      const inner = this.or();
      this.expect(')');
      return inner;
    }
    if (token?.type !== 'word') this.fail();
    this.index += 1;
    if (token.text.toLowerCase() === 'startswith') {
      this.expect('(');
      const property = this.property();
      this.expect(',');
      const value = this.literal();
      this.expect(')');
      if (typeof value !== 'string') this.fail();
      return { kind: 'startswith', property, value };
    }
    const property = token.text;
    const operator = this.peekWord();
    if (operator === 'eq' || operator === 'ne') {
      this.index += 1;
      return { kind: 'compare', operator, property, value: this.literal() };
    }
    if (operator === 'in') {
      this.index += 1;
      this.expect('(');
      const values = [this.literal()];
      while (this.tokens[this.index]?.text === ',') {
        this.index += 1;
        values.push(this.literal());
      }
      this.expect(')');
      return { kind: 'in', property, values };
    }
    return this.fail();
  }

  private property(): string {
    const token = this.tokens[this.index];
    if (token?.type !== 'word') this.fail();
    this.index += 1;
    return token.text;
  }

  private literal(): Literal {
    const token = this.tokens[this.index];
    if (token?.type === 'string') {
      this.index += 1;
      return token.text;
    }
    const word = this.peekWord();
    if (word === 'true' || word === 'false' || word === 'null') {
      this.index += 1;
      return word === 'null' ? null : word === 'true';
    }
    return this.fail();
  }
}

function countExpressions(node: FilterNode): number {
  switch (node.kind) {
    case 'in':
      return node.values.length;
    case 'and':
    case 'or':
      return countExpressions(node.left) + countExpressions(node.right);
    case 'not':
      return countExpressions(node.operand);
    default:
      return 1;
  }
}

function checkSupported(node: FilterNode, catalog: FilterCatalog, resource: string): void {
  switch (node.kind) {
    case 'and':
    case 'or':
      checkSupported(node.left, catalog, resource);
      checkSupported(node.right, catalog, resource);
      return;
    case 'not':
      checkSupported(node.operand, catalog, resource);
      return;
    default: {
      const operator: FilterOperator = node.kind === 'compare' ? node.operator : node.kind;
      const property = catalog[node.property];
      if (!property || !property.operators.includes(operator)) {
        throw badRequest(
          `Unsupported or invalid query filter clause specified for property '${node.property}' of resource '${resource}'.`,
          'Request_UnsupportedQuery',
        );
      }
    }
  }
}

const normalized = (value: unknown): unknown => (typeof value === 'string' ? value.toLowerCase() : (value ?? null));

/** The node as a predicate, with its literals normalized once rather than per object. */
function compileNode(node: FilterNode): FilterPredicate {
  switch (node.kind) {
    case 'compare': {
      const expected = normalized(node.value);
      const wanted = node.operator === 'eq';
      return (object) => (normalized(object[node.property]) === expected) === wanted;
    }
    case 'in': {
      const expected = new Set(node.values.map(normalized));
      return (object) => expected.has(normalized(object[node.property]));
    }
    case 'startswith': {
      const prefix = node.value.toLowerCase();
      return (object) => {
        const actual = object[node.property];
        return typeof actual === 'string' && actual.toLowerCase().startsWith(prefix);
      };
    }
    case 'and': {
      const left = compileNode(node.left);
      const right = compileNode(node.right);
      return (object) => left(object) && right(object);
    }
    case 'or': {
      const left = compileNode(node.left);
      const right = compileNode(node.right);
      return (object) => left(object) || right(object);
    }
    case 'not': {
      const operand = compileNode(node.operand);
      return (object) => !operand(object);
    }
  }
}
