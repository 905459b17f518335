import type {
  CollectionCondition,
  Comparison,
  ComparisonOperator,
  DirectReports,
  Expression,
  ListValue,
  MembershipRule,
  PropertyRef,
  ScalarValue,
  Span,
  Value,
} from './ast';
import { RuleSyntaxError, ruleError } from './errors';
import { type Token, tokenize } from './lexer';
import { ALL_OPERATOR_WORDS, comparisonOperator, type LogicalOperator, logicalOperator, quantifier } from './operators';
import { closest } from './suggestions';

/**
 * Recursive descent over Entra's precedence, highest first: comparisons, -not, -and, -or.
 * `-any`/`-all` take a parenthesised condition, or (as the device examples write
 * `device.devicePhysicalIDs -any _ -startsWith "[ZTDId]"`) a single comparison without parentheses.
 */

const NUMBER = /^-?\d+(\.\d+)?$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;
const DURATION = /^P(?=\d|T\d)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/i;
const TYPOGRAPHIC_QUOTES = /^[\u201C\u201D\u2018\u2019]/;

/**
 * How deep parentheses, -not and -any/-all conditions may nest. Entra documents no limit; real
 * rules stay far below this, and the bound keeps every recursive step (parsing, checking,
 * formatting, evaluating) well inside the stack whatever a rule of 3,072 characters holds.
 */
export const MAX_NESTING = 64;

export function parseRule(text: string): MembershipRule {
  return new Parser(text).parseRule();
}

function cover(first: Span, last: Span): Span {
  return { offset: first.offset, length: last.offset + last.length - first.offset };
}

function fail(message: string, span: Span, suggestion?: string): never {
  throw new RuleSyntaxError(ruleError(message, span.offset, span.length, suggestion));
}

class Parser {
  private readonly tokens: Token[];
  private position = 0;
  private depth = 0;

  constructor(private readonly text: string) {
    this.tokens = tokenize(text);
  }

  parseRule(): MembershipRule {
    const first = this.peek();
    if (first.kind === 'end') fail('The rule is empty: write a condition such as user.department -eq "Sales".', first.span);
    if (first.kind === 'word' && first.value.toLowerCase() === 'direct') return this.parseDirectReports();
    const expression = this.parseOr();
    const next = this.peek();
    if (next.kind !== 'end') this.unexpected(next);
    return expression;
  }

  private peek(): Token {
    const token = this.tokens[this.position];
    if (token.problem) throw new RuleSyntaxError(token.problem);
    return token;
  }

  private advance(): Token {
    const token = this.peek();
    if (token.kind !== 'end') this.position++;
    return token;
  }

  private isLogical(operator: LogicalOperator): boolean {
    const token = this.peek();
    return (token.kind === 'dashWord' || token.kind === 'word') && logicalOperator(token.value) === operator;
  }

  private parseDirectReports(): DirectReports {
    const form = 'Write a direct reports rule as: Direct Reports for "<manager object id>".';
    const start = this.peek().span;
    for (const expected of ['direct', 'reports', 'for']) {
      const token = this.advance();
      if (token.kind !== 'word' || token.value.toLowerCase() !== expected) fail(form, token.span);
    }
    const id = this.advance();
    if (id.kind !== 'string') fail(form, id.span);
    const rest = this.peek();
    if (rest.kind !== 'end') {
      fail('A direct reports rule must be the whole rule: it cannot be combined with other conditions.', {
        offset: rest.span.offset,
        length: this.text.length - rest.span.offset,
      });
    }
    const managerId = { type: 'string' as const, value: id.value, span: id.span };
    return { type: 'directReports', managerId, span: cover(start, id.span) };
  }

  private parseOr(): Expression {
    let left = this.parseAnd();
    while (this.isLogical('or')) {
      this.advance();
      const right = this.parseAnd();
      left = { type: 'or', left, right, span: cover(left.span, right.span) };
    }
    return left;
  }

  private parseAnd(): Expression {
    let left = this.parseNot();
    while (this.isLogical('and')) {
      this.advance();
      const right = this.parseNot();
      left = { type: 'and', left, right, span: cover(left.span, right.span) };
    }
    return left;
  }

  private parseNot(): Expression {
    if (this.isLogical('not')) {
      const not = this.advance();
      const operand = this.nested(not, () => this.parseNot());
      return { type: 'not', operand, span: cover(not.span, operand.span) };
    }
    return this.parsePrimary();
  }

  private parsePrimary(): Expression {
    const token = this.peek();
    if (token.kind !== 'lparen') return this.parsePredicate();
    this.advance();
    const inner = this.nested(token, () => this.parseOr());
    this.expectClosing(token);
    return inner;
  }

  /** Parses what `opener` (a parenthesis, -not, -any or -all) starts, one level deeper. */
  private nested<T>(opener: Token, parse: () => T): T {
    if (this.depth >= MAX_NESTING) {
      fail(
        `Conditions are nested more than ${MAX_NESTING} levels deep here (parentheses, -not, -any and -all): remove needless parentheses or repeated -not.`,
        opener.span,
      );
    }
    this.depth++;
    try {
      return parse();
    } finally {
      this.depth--;
    }
  }

  private expectClosing(open: Token): Token {
    const next = this.peek();
    if (next.kind === 'rparen') return this.advance();
    if (next.kind === 'end') fail('This ( is never closed: add a ) after its condition.', open.span);
    return this.unexpected(next);
  }

  private unexpected(token: Token): never {
    switch (token.kind) {
      case 'rparen':
        return fail('This ) has no matching (.', token.span);
      case 'lparen':
      case 'word':
        return fail('Conditions must be joined with -and or -or.', token.span);
      case 'string':
        return fail(`Unexpected text value ${token.raw}: join conditions with -and or -or.`, token.span);
      default:
        return fail(`Unexpected ${token.raw} here.`, token.span);
    }
  }

  private parsePredicate(): Comparison | CollectionCondition {
    const token = this.peek();
    if (token.kind !== 'word') this.missingCondition(token);
    this.advance();
    const property = this.propertyRef(token);
    const operatorToken = this.advance();
    if (operatorToken.kind !== 'dashWord' && operatorToken.kind !== 'word') {
      const where = operatorToken.kind === 'end' ? `after ${token.raw}` : `between ${token.raw} and ${operatorToken.raw}`;
      fail(`Expected an operator such as -eq ${where}.`, operatorToken.span);
    }
    const comparison = comparisonOperator(operatorToken.value);
    if (comparison) {
      const value = this.parseValue(operatorToken, comparison);
      return {
        type: 'comparison',
        property,
        operator: comparison,
        operatorSpan: operatorToken.span,
        value,
        span: cover(property.span, value.span),
      };
    }
    const quantified = quantifier(operatorToken.value);
    if (quantified) {
      const { condition, end } = this.parseQuantifiedCondition(operatorToken);
      return {
        type: 'collection',
        property,
        quantifier: quantified,
        operatorSpan: operatorToken.span,
        condition,
        span: cover(property.span, end),
      };
    }
    if (logicalOperator(operatorToken.value) === 'not') {
      fail(`-not cannot compare a property with a value: use -ne (for example ${token.raw} -ne null).`, operatorToken.span, '-ne');
    }
    const guess = closest(operatorToken.value, ALL_OPERATOR_WORDS);
    const suggestion = guess === undefined ? undefined : `-${guess}`;
    const hint = suggestion === undefined ? '' : ` Did you mean ${suggestion}?`;
    if (operatorToken.kind === 'dashWord') fail(`Unknown operator ${operatorToken.raw}.${hint}`, operatorToken.span, suggestion);
    return fail(`Expected an operator such as -eq after ${token.raw}, found ${operatorToken.raw}.${hint}`, operatorToken.span, suggestion);
  }

  private missingCondition(token: Token): never {
    if (token.kind === 'dashWord') {
      fail(`Expected a property such as user.department before ${token.raw}.`, token.span);
    }
    if (token.kind === 'string') {
      fail(`Expected a property such as user.department; a text value like ${token.raw} can only follow an operator.`, token.span);
    }
    const previous = this.tokens[this.position - 1];
    const after = previous ? ` after ${previous.raw}` : '';
    return fail(`Expected a condition such as user.department -eq "Sales"${after}.`, token.span);
  }

  private propertyRef(token: Token): PropertyRef {
    const dot = token.value.indexOf('.');
    if (dot < 0) return { type: 'property', object: token.value, span: token.span };
    return { type: 'property', object: token.value.slice(0, dot), name: token.value.slice(dot + 1), span: token.span };
  }

  private parseQuantifiedCondition(operator: Token): { condition: Expression; end: Span } {
    const next = this.peek();
    if (next.kind === 'lparen') {
      this.advance();
      const condition = this.nested(next, () => this.parseOr());
      const close = this.expectClosing(next);
      return { condition, end: close.span };
    }
    if (next.kind !== 'word') {
      fail(`Expected a condition after ${operator.raw}, such as (_ -startsWith "contoso").`, next.span);
    }
    const condition = this.nested(operator, () => this.parsePredicate());
    return { condition, end: condition.span };
  }

  private parseValue(operator: Token, comparison: ComparisonOperator): Value {
    const token = this.peek();
    if (token.kind === 'lbracket') return this.parseList(operator);
    if (token.kind === 'string' || token.kind === 'word') return this.parseScalar(operator);
    const example = comparison === 'in' || comparison === 'notIn' ? '["a", "b"]' : '"Sales"';
    return fail(`Expected a value such as ${example} after ${operator.raw}.`, token.span);
  }

  private parseList(operator: Token): ListValue {
    const open = this.advance();
    const items: ScalarValue[] = [];
    if (this.peek().kind === 'rbracket') {
      const close = this.advance();
      return { type: 'list', items, span: cover(open.span, close.span) };
    }
    for (;;) {
      const next = this.peek();
      if (next.kind === 'end') fail('This [ is never closed: end the list with ].', open.span);
      if (next.kind !== 'string' && next.kind !== 'word') fail(`Expected a value in the list after ${operator.raw}.`, next.span);
      items.push(this.parseScalar(operator));
      const separator = this.advance();
      if (separator.kind === 'rbracket') return { type: 'list', items, span: cover(open.span, separator.span) };
      if (separator.kind === 'end') fail('This [ is never closed: end the list with ].', open.span);
      if (separator.kind !== 'comma') fail('List values must be separated by commas.', separator.span, ',');
    }
  }

  private parseScalar(operator: Token): ScalarValue {
    const token = this.advance();
    if (token.kind === 'string') return { type: 'string', value: token.value, span: token.span };
    const lower = token.value.toLowerCase();
    if (lower === 'true' || lower === 'false') return { type: 'boolean', value: lower === 'true', span: token.span };
    if (lower === 'null' || lower === '$null') return { type: 'null', span: token.span };
    if (lower === 'system.now') return this.parseNow(token);
    if (NUMBER.test(token.value)) return { type: 'number', raw: token.value, span: token.span };
    if (DATE_TIME.test(token.value)) return { type: 'dateTime', raw: token.value, span: token.span };
    if (TYPOGRAPHIC_QUOTES.test(token.value)) {
      fail('Use straight double quotes (") around text values, not typographic quotes.', token.span);
    }
    const quoted = `"${token.value}"`;
    return fail(`Text values must be in double quotes after ${operator.raw}: write ${quoted}.`, token.span, quoted);
  }

  private parseNow(now: Token): ScalarValue {
    const shift = this.peek();
    const direction = shift.kind === 'dashWord' ? shift.value.toLowerCase() : '';
    if (direction !== 'plus' && direction !== 'minus') return { type: 'now', span: now.span };
    this.advance();
    const duration = this.advance();
    if (duration.kind !== 'word' || !DURATION.test(duration.value)) {
      fail(`Expected an ISO 8601 duration such as p1d (one day) or pt12h (12 hours) after ${shift.raw}.`, duration.span);
    }
    return { type: 'now', shift: { direction, duration: duration.value }, span: cover(now.span, duration.span) };
  }
}
