import type { Comparison, ComparisonOperator, Expression, MembershipRule, RuleKind, ScalarValue, Value } from './ast';
import { dateTimeOf, parseDateTime, shiftByDuration } from './dates';
import { InvalidRuleError } from './errors';
import { type DirectoryObject, graphReader, managerId } from './graphMapping';
import { NEGATION_OF } from './operators';
import { ASSIGNED_PLAN, findItemProperty, findProperty, type PropertyType } from './properties';
import { compileLinearPattern } from './regex';
import { validateRule } from './validator';

/**
 * Whether a user or device matches a rule, with Entra's semantics:
 * - text comparisons and -match ignore case; -match finds the pattern anywhere in the value;
 * - a missing value is null: it equals null, and every positive test on it is false, so the
 *   negative operators (-ne, -notStartsWith, -notIn, …) are true for it;
 * - on a string collection used directly (`user.proxyAddresses -startsWith "smtp:"`) a positive
 *   operator holds when any value passes, a negative one when no value passes the positive test;
 * - `-any` holds when at least one item passes, `-all` when every item does (so `-all` holds on an
 *   empty collection: `user.assignedPlans -all (assignedPlan.servicePlanId -eq null)` selects users
 *   without plans).
 */

export interface EvaluationOptions {
  /** The moment `system.now` stands for; the time of compilation when absent. */
  now?: Date;
}

export interface CompiledRule {
  kind: RuleKind;
  /** The rule with canonical spellings. */
  ast: MembershipRule;
  formatted: string;
  matches(object: DirectoryObject): boolean;
}

/**
 * Validates and compiles a rule once, for evaluating it against many objects. Throws
 * InvalidRuleError for an invalid rule, UnsupportedPatternError for a valid -match pattern that
 * only a backtracking engine could run.
 */
export function compileRule(rule: string, kind?: RuleKind, options: EvaluationOptions = {}): CompiledRule {
  const validation = validateRule(rule, kind);
  if (!validation.valid || !validation.ast || validation.formatted === undefined) throw new InvalidRuleError(validation.errors);
  const now = (options.now ?? new Date()).getTime();
  const test = compileMembershipRule(validation.ast, validation.kind, now);
  return { kind: validation.kind, ast: validation.ast, formatted: validation.formatted, matches: test };
}

/** Whether one object matches a rule (text, or compiled with compileRule). Throws InvalidRuleError for an invalid rule. */
export function evaluateRule(rule: string | CompiledRule, object: DirectoryObject, kind?: RuleKind, options?: EvaluationOptions): boolean {
  const compiled = typeof rule === 'string' ? compileRule(rule, kind, options) : rule;
  return compiled.matches(object);
}

type Test = (subject: unknown) => boolean;

/** What the properties of a condition are read from: the object, or the items of a collection. */
type Scope = 'object' | 'values' | 'items' | 'groups';

function compileMembershipRule(rule: MembershipRule, kind: RuleKind, now: number): (object: DirectoryObject) => boolean {
  if (rule.type === 'directReports') {
    const wanted = rule.managerId.value.toLowerCase();
    return (object) => managerId(object)?.toLowerCase() === wanted;
  }
  const test = new Compiler(kind, now).expression(rule, 'object');
  return (object) => test(object);
}

class Compiler {
  constructor(
    private readonly kind: RuleKind,
    private readonly now: number,
  ) {}

  expression(expression: Expression, scope: Scope): Test {
    switch (expression.type) {
      case 'and': {
        const left = this.expression(expression.left, scope);
        const right = this.expression(expression.right, scope);
        return (subject) => left(subject) && right(subject);
      }
      case 'or': {
        const left = this.expression(expression.left, scope);
        const right = this.expression(expression.right, scope);
        return (subject) => left(subject) || right(subject);
      }
      case 'not': {
        const operand = this.expression(expression.operand, scope);
        return (subject) => !operand(subject);
      }
      case 'comparison':
        return this.comparison(expression, scope);
      case 'collection': {
        const read = this.reader(expression.property.name, 'object');
        const type = this.typeOf(expression.property.name, 'object');
        const itemScope: Scope = type === 'memberOf' ? 'groups' : type === 'objectCollection' ? 'items' : 'values';
        const condition = this.expression(expression.condition, itemScope);
        const all = expression.quantifier === 'all';
        return (subject) => {
          const items = asArray(read(subject));
          return all ? items.every(condition) : items.some(condition);
        };
      }
    }
  }

  private reader(name: string | undefined, scope: Scope): (subject: unknown) => unknown {
    switch (scope) {
      case 'object': {
        const read = graphReader(this.kind, required(name));
        return (subject) => read(subject as DirectoryObject);
      }
      case 'items':
        return (subject) =>
          subject !== null && typeof subject === 'object' ? (subject as Record<string, unknown>)[required(name)] : undefined;
      default:
        return (subject) => subject;
    }
  }

  private typeOf(name: string | undefined, scope: Scope): PropertyType {
    if (scope === 'values' || scope === 'groups') return 'string';
    const definition = scope === 'object' ? findProperty(this.kind, required(name)) : findItemProperty(ASSIGNED_PLAN, required(name));
    if (!definition) throw new Error(`Rule property ${name} is not in the catalogue; compile only validated rules.`);
    return definition.type;
  }

  private comparison(comparison: Comparison, scope: Scope): Test {
    const read = this.reader(comparison.property.name, scope);
    const type = this.typeOf(comparison.property.name, scope);
    const { operator, value } = comparison;
    switch (type) {
      case 'boolean':
        return this.booleanTest(read, operator, value);
      case 'dateTime':
        return this.dateTest(read, operator, value);
      case 'stringCollection':
        return collectionTextTest(read, operator, value);
      default:
        return textTest(read, operator, value);
    }
  }

  private booleanTest(read: (subject: unknown) => unknown, operator: ComparisonOperator, value: Value): Test {
    // Validation leaves only true, false and null here: it turns a quoted "true" into true.
    const wanted = value.type === 'boolean' ? value.value : null;
    const equals: Test = (subject) => {
      const actual = read(subject);
      return wanted === null ? actual === null || actual === undefined : actual === wanted;
    };
    return operator === 'ne' ? (subject) => !equals(subject) : equals;
  }

  private dateTest(read: (subject: unknown) => unknown, operator: ComparisonOperator, value: Value): Test {
    if (value.type === 'null') {
      const isNull: Test = (subject) => dateTimeOf(read(subject)) === undefined;
      return operator === 'ne' ? (subject) => !isNull(subject) : isNull;
    }
    const wanted = this.dateOf(value as ScalarValue);
    const compare = (actual: number): boolean => {
      switch (operator) {
        case 'le':
          return actual <= wanted;
        case 'ge':
          return actual >= wanted;
        default:
          return actual === wanted;
      }
    };
    const positive: Test = (subject) => {
      const actual = dateTimeOf(read(subject));
      return actual !== undefined && compare(actual);
    };
    return operator === 'ne' ? (subject) => !positive(subject) : positive;
  }

  private dateOf(value: ScalarValue): number {
    if (value.type === 'now') return value.shift ? shiftByDuration(this.now, value.shift.duration, value.shift.direction) : this.now;
    const text = value.type === 'string' ? value.value : value.type === 'dateTime' ? value.raw : '';
    const parsed = parseDateTime(text);
    if (parsed === undefined) throw new Error(`Not a date: ${text}; compile only validated rules.`);
    return parsed;
  }
}

function required(name: string | undefined): string {
  if (name === undefined) throw new Error('A property without a name reached the evaluator; compile only validated rules.');
  return name;
}

function asArray(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

/** A value as text for comparison, or null when there is none. */
function textOf(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return null;
}

function scalarText(value: ScalarValue): string {
  switch (value.type) {
    case 'string':
      return value.value;
    case 'number':
    case 'dateTime':
      return value.raw;
    default:
      return String(value.type === 'boolean' ? value.value : '');
  }
}

/** The positive test a text must pass: `-startsWith "a"` → starts with "a", ignoring case. */
function positiveTextTest(operator: ComparisonOperator, value: Value): (text: string) => boolean {
  const positive = NEGATION_OF[operator] ?? operator;
  if (value.type === 'list') {
    const wanted = new Set(value.items.map((item) => scalarText(item).toLowerCase()));
    return (text) => wanted.has(text.toLowerCase());
  }
  const wanted = scalarText(value);
  const lower = wanted.toLowerCase();
  switch (positive) {
    case 'startsWith':
      return (text) => text.toLowerCase().startsWith(lower);
    case 'endsWith':
      return (text) => text.toLowerCase().endsWith(lower);
    case 'contains':
      return (text) => text.toLowerCase().includes(lower);
    case 'match': {
      const pattern = compileLinearPattern(wanted);
      return (text) => pattern.test(text);
    }
    default:
      return (text) => text.toLowerCase() === lower;
  }
}

function isNegative(operator: ComparisonOperator): boolean {
  return NEGATION_OF[operator] !== undefined;
}

function textTest(read: (subject: unknown) => unknown, operator: ComparisonOperator, value: Value): Test {
  if (value.type === 'null') {
    return operator === 'ne' ? (subject) => textOf(read(subject)) !== null : (subject) => textOf(read(subject)) === null;
  }
  const passes = positiveTextTest(operator, value);
  const positive: Test = (subject) => {
    const text = textOf(read(subject));
    return text !== null && passes(text);
  };
  return isNegative(operator) ? (subject) => !positive(subject) : positive;
}

function collectionTextTest(read: (subject: unknown) => unknown, operator: ComparisonOperator, value: Value): Test {
  const texts = (subject: unknown): string[] =>
    asArray(read(subject))
      .map(textOf)
      .filter((text): text is string => text !== null);
  if (value.type === 'null') {
    return operator === 'ne' ? (subject) => texts(subject).length > 0 : (subject) => texts(subject).length === 0;
  }
  const passes = positiveTextTest(operator, value);
  const positive: Test = (subject) => texts(subject).some(passes);
  return isNegative(operator) ? (subject) => !positive(subject) : positive;
}
