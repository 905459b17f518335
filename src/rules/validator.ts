import type {
  CollectionCondition,
  Comparison,
  ComparisonOperator,
  Expression,
  MembershipRule,
  PropertyRef,
  RuleKind,
  ScalarValue,
  Value,
} from './ast';
import { COMPARISON_OPERATORS } from './ast';
import { parseDateTime } from './dates';
import { type RuleError, RuleSyntaxError, ruleError } from './errors';
import { formatRule, formatValue } from './formatter';
import { parseRule } from './parser';
import {
  ASSIGNED_PLAN,
  findItemProperty,
  findProperty,
  isGuid,
  type ItemDefinition,
  MEMBER_OF_GROUP,
  type PropertyDefinition,
  type PropertyType,
  propertyNames,
} from './properties';
import { regexProblem } from './regex';
import { closest } from './suggestions';

/** Entra refuses membership rules longer than this. */
export const MAX_RULE_LENGTH = 3072;

export interface RuleValidation {
  valid: boolean;
  /** Every problem found, in the order they appear in the text (a syntax error stops the search). */
  errors: RuleError[];
  /** The kind given, or the one the rule's first property names. */
  kind: RuleKind;
  /** The rule with canonical property spellings, whenever the text could be parsed. */
  ast?: MembershipRule;
  /** The canonical text, only for a valid rule. */
  formatted?: string;
}

/**
 * Checks a rule as Entra would. A rule over Entra's length limit is refused before it is read
 * at all, so the work done for any text is bounded by the limit, whatever was sent.
 */
export function validateRule(text: string, kind?: RuleKind): RuleValidation {
  if (text.length > MAX_RULE_LENGTH) {
    const tooLong = ruleError(
      `The rule is ${text.length.toLocaleString('en-US')} characters long; Entra allows at most 3,072. Shorten it, for example with -in ["a", "b"] instead of many -or.`,
      MAX_RULE_LENGTH,
      text.length - MAX_RULE_LENGTH,
    );
    return { valid: false, errors: [tooLong], kind: kind ?? kindWritten(text.slice(0, MAX_RULE_LENGTH)) };
  }
  let parsed: MembershipRule;
  try {
    parsed = parseRule(text);
  } catch (error) {
    if (!(error instanceof RuleSyntaxError)) throw error;
    return { valid: false, errors: [error.error], kind: kind ?? kindWritten(text) };
  }
  const ruleKind = kind ?? inferKind(parsed);
  const checker = new Checker(ruleKind);
  const ast = checker.checkRule(parsed);
  const errors = byPosition(checker.errors);
  if (errors.length > 0) return { valid: false, errors, kind: ruleKind, ast };
  return { valid: true, errors, kind: ruleKind, ast, formatted: formatRule(ast) };
}

function byPosition(errors: RuleError[]): RuleError[] {
  return [...errors].sort((a, b) => a.offset - b.offset);
}

function kindWritten(text: string): RuleKind {
  return /^[\s(]*device\./i.test(text) ? 'device' : 'user';
}

function inferKind(rule: MembershipRule): RuleKind {
  switch (rule.type) {
    case 'directReports':
      return 'user';
    case 'and':
    case 'or':
      return inferKind(rule.left);
    case 'not':
      return inferKind(rule.operand);
    default:
      return rule.property.object.toLowerCase() === 'device' ? 'device' : 'user';
  }
}

/** Every comparison but the date ones (-le, -ge). */
export const STRING_OPERATORS: readonly ComparisonOperator[] = COMPARISON_OPERATORS.filter((op) => op !== 'le' && op !== 'ge');

const OPERATORS_BY_TYPE: Record<PropertyType, readonly ComparisonOperator[]> = {
  string: STRING_OPERATORS,
  stringCollection: STRING_OPERATORS,
  boolean: ['eq', 'ne'],
  dateTime: ['eq', 'ne', 'le', 'ge'],
  objectCollection: [],
  memberOf: [],
};

const TYPE_DESCRIPTION: Record<PropertyType, string> = {
  string: 'text',
  stringCollection: 'a list of text values',
  boolean: 'true or false',
  dateTime: 'a date',
  objectCollection: 'a collection of objects',
  memberOf: 'group memberships',
};

const EXAMPLE_GUID = 'aaaaaaaa-0000-1111-2222-bbbbbbbbbbbb';

/** Where a property reference stands: the rule itself, or the condition of an -any/-all. */
type Scope = { in: 'rule' } | { in: 'values'; collection: string } | { in: 'items'; collection: string; item: ItemDefinition };

class Checker {
  readonly errors: RuleError[] = [];
  private readonly memberOfConditions: CollectionCondition[] = [];

  constructor(private readonly kind: RuleKind) {}

  checkRule(rule: MembershipRule): MembershipRule {
    if (rule.type === 'directReports') {
      if (this.kind === 'device') {
        this.report('A direct reports rule selects users, so it cannot be a device rule.', rule);
      }
      if (!isGuid(rule.managerId.value)) {
        this.report(`Give the manager's object id, a GUID such as ${EXAMPLE_GUID}.`, rule.managerId);
      }
      return rule;
    }
    const checked = this.checkExpression(rule, { in: 'rule' });
    for (const memberOf of this.memberOfConditions) {
      if (memberOf !== rule) {
        this.report('A memberOf condition must be the whole rule: Entra cannot combine it with other conditions.', memberOf);
      }
    }
    return checked;
  }

  private report(
    message: string,
    at: { span: { offset: number; length: number } } | { offset: number; length: number },
    suggestion?: string,
  ): void {
    const span = 'span' in at ? at.span : at;
    this.errors.push(ruleError(message, span.offset, span.length, suggestion));
  }

  private checkExpression(expression: Expression, scope: Scope): Expression {
    switch (expression.type) {
      case 'and':
      case 'or':
        return {
          ...expression,
          left: this.checkExpression(expression.left, scope),
          right: this.checkExpression(expression.right, scope),
        };
      case 'not':
        return { ...expression, operand: this.checkExpression(expression.operand, scope) };
      case 'comparison':
        return this.checkComparison(expression, scope);
      case 'collection':
        return this.checkCollection(expression, scope);
    }
  }

  private checkComparison(comparison: Comparison, scope: Scope): Comparison {
    const { ref, definition } = this.resolve(comparison.property, scope);
    const checked = { ...comparison, property: ref };
    if (!definition) return checked;
    const label = describe(ref);
    const allowed = OPERATORS_BY_TYPE[definition.type];
    if (!allowed.includes(comparison.operator)) {
      this.report(this.operatorMisuse(definition, label, comparison.operator, allowed), comparison.operatorSpan);
      return checked;
    }
    this.checkValue(comparison.value, comparison.operator, definition, label);
    return { ...checked, value: canonicalValue(comparison.value, definition.type) };
  }

  private operatorMisuse(
    definition: PropertyDefinition,
    label: string,
    operator: ComparisonOperator,
    allowed: readonly ComparisonOperator[],
  ): string {
    if (definition.type === 'objectCollection') {
      const example = `${label} -any (assignedPlan.capabilityStatus -eq "Enabled")`;
      return `${label} is a collection of service plans: test it with -any or -all, for example ${example}.`;
    }
    if (definition.type === 'memberOf') {
      return `${label} is tested only as ${label} -any (group.objectId -in ['<group object id>']).`;
    }
    const operators = allowed.map((op) => `-${op}`);
    const choice = `${operators.slice(0, -1).join(', ')} or ${operators[operators.length - 1]}`;
    return `The -${operator} operator cannot be used with ${label}, which holds ${TYPE_DESCRIPTION[definition.type]}; use ${choice}.`;
  }

  private checkValue(value: Value, operator: ComparisonOperator, definition: PropertyDefinition, label: string): void {
    const wantsList = operator === 'in' || operator === 'notIn';
    if (wantsList && value.type !== 'list') {
      this.report(`-${operator} needs a list in brackets, for example ["a", "b"].`, value, `[${formatValue(value)}]`);
      return;
    }
    if (!wantsList && value.type === 'list') {
      this.report(`A list can only follow -in or -notIn; -${operator} compares with a single value.`, value);
      return;
    }
    if (value.type === 'list') {
      if (value.items.length === 0) this.report('The list is empty: give at least one value.', value);
      for (const item of value.items) this.checkScalar(item, operator, definition, label, true);
      return;
    }
    this.checkScalar(value, operator, definition, label, false);
  }

  private checkScalar(
    value: ScalarValue,
    operator: ComparisonOperator,
    definition: PropertyDefinition,
    label: string,
    inList: boolean,
  ): void {
    if (value.type === 'null') {
      if (inList || (operator !== 'eq' && operator !== 'ne')) {
        this.report(`null can only be compared with -eq or -ne, for example ${label} -ne null.`, value);
      }
      return;
    }
    switch (definition.type) {
      case 'boolean':
        if (value.type !== 'boolean' && !(value.type === 'string' && /^(true|false)$/i.test(value.value))) {
          this.report(`${label} is either true or false.`, value);
        }
        return;
      case 'dateTime':
        this.checkDate(value, label);
        return;
      default:
        this.checkText(value, operator, definition, label);
    }
  }

  private checkDate(value: ScalarValue, label: string): void {
    if (value.type === 'now') return;
    const text = value.type === 'string' ? value.value : value.type === 'dateTime' ? value.raw : undefined;
    if (text === undefined || parseDateTime(text) === undefined) {
      this.report(`${label} is a date: write a date such as 2020-06-10T18:13:20Z, or system.now -plus p1d.`, value);
    }
  }

  private checkText(value: ScalarValue, operator: ComparisonOperator, definition: PropertyDefinition, label: string): void {
    if (value.type !== 'string' && value.type !== 'number') {
      const written = formatValue(value);
      this.report(`${label} holds text: put the value in double quotes.`, value, `"${written}"`);
      return;
    }
    const text = value.type === 'string' ? value.value : value.raw;
    if (operator === 'match' || operator === 'notMatch') {
      const problem = regexProblem(text);
      if (problem !== undefined) {
        const suggestion = text.startsWith('*') ? `".${text}"` : undefined;
        this.report(`The regular expression "${text}" is not valid: ${problem}.`, value, suggestion);
      }
      return;
    }
    const comparesIdentity = operator === 'eq' || operator === 'ne' || operator === 'in' || operator === 'notIn';
    if (definition.guid && comparesIdentity && !isGuid(text)) {
      this.report(`${label} is an object id: "${text}" is not a GUID such as ${EXAMPLE_GUID}.`, value);
    }
  }

  private checkCollection(condition: CollectionCondition, scope: Scope): CollectionCondition {
    if (scope.in !== 'rule') {
      this.report('-any and -all cannot be nested inside another -any or -all.', condition.operatorSpan);
      return condition;
    }
    const { ref, definition } = this.resolve(condition.property, scope);
    const checked = { ...condition, property: ref };
    if (!definition) return checked;
    const label = describe(ref);
    switch (definition.type) {
      case 'stringCollection':
        return { ...checked, condition: this.checkExpression(condition.condition, { in: 'values', collection: label }) };
      case 'objectCollection':
        return {
          ...checked,
          condition: this.checkExpression(condition.condition, { in: 'items', collection: label, item: ASSIGNED_PLAN }),
        };
      case 'memberOf':
        this.memberOfConditions.push(condition);
        return { ...checked, condition: this.checkMemberOf(checked, label) };
      default:
        this.report(
          `-${condition.quantifier} applies to collections such as proxyAddresses; ` +
            `${label} holds a single value, so compare it directly (for example ${label} -eq …).`,
          condition.operatorSpan,
        );
        return checked;
    }
  }

  private checkMemberOf(condition: CollectionCondition, label: string): Expression {
    const form = `${label} -any (group.objectId -in ['<group object id>'])`;
    if (condition.quantifier !== 'any') {
      this.report(`memberOf is tested only with -any: ${form}.`, condition.operatorSpan, '-any');
    }
    const test = condition.condition;
    const groupRef = test.type === 'comparison' ? test.property : undefined;
    const isGroupId =
      groupRef?.object.toLowerCase() === MEMBER_OF_GROUP.itemName &&
      groupRef.name?.toLowerCase() === MEMBER_OF_GROUP.property.toLowerCase();
    if (test.type !== 'comparison' || !isGroupId || test.operator !== 'in' || test.value.type !== 'list') {
      this.report(`A memberOf condition is written ${form}.`, test);
      return test;
    }
    const ids = test.value.items;
    if (ids.length === 0) this.report('The list is empty: give at least one group object id.', test.value);
    if (ids.length > MEMBER_OF_GROUP.maxGroups) {
      this.report(`A memberOf rule can name at most ${MEMBER_OF_GROUP.maxGroups} groups; this one names ${ids.length}.`, test.value);
    }
    for (const id of ids) {
      if (id.type !== 'string' || !isGuid(id.value)) {
        this.report(`Groups are named by object id, a GUID such as ${EXAMPLE_GUID}.`, id);
      }
    }
    return { ...test, property: { ...test.property, object: MEMBER_OF_GROUP.itemName, name: MEMBER_OF_GROUP.property } };
  }

  /** The property's canonical spelling and definition, or an error and no definition. */
  private resolve(ref: PropertyRef, scope: Scope): { ref: PropertyRef; definition?: PropertyDefinition } {
    switch (scope.in) {
      case 'rule':
        return this.resolveOnObject(ref);
      case 'values':
        if (ref.object === '_' && ref.name === undefined) return { ref, definition: { name: '_', type: 'string' } };
        this.report(`Inside ${scope.collection} -any/-all, refer to each value as _ (for example _ -startsWith "smtp:").`, ref, '_');
        return { ref };
      case 'items':
        return this.resolveOnItem(ref, scope.collection, scope.item);
    }
  }

  private resolveOnItem(ref: PropertyRef, collection: string, item: ItemDefinition): { ref: PropertyRef; definition?: PropertyDefinition } {
    const names = item.properties.map((p) => p.name);
    const form = `${item.itemName}.<property> (${names.join(', ')})`;
    if (ref.object.toLowerCase() !== item.itemName.toLowerCase() || ref.name === undefined) {
      this.report(`Inside ${collection} -any/-all, refer to each item as ${form}.`, ref);
      return { ref };
    }
    const definition = findItemProperty(item, ref.name);
    if (!definition) {
      const guess = closest(ref.name, names);
      this.unknown(`${item.itemName} has no property "${ref.name}"; use ${names.join(', ')}.`, ref, guess && `${item.itemName}.${guess}`);
      return { ref };
    }
    return { ref: { ...ref, object: item.itemName, name: definition.name }, definition };
  }

  private resolveOnObject(ref: PropertyRef): { ref: PropertyRef; definition?: PropertyDefinition } {
    const object = ref.object.toLowerCase();
    const other: RuleKind = this.kind === 'user' ? 'device' : 'user';
    if (object === '_' || object === ASSIGNED_PLAN.itemName.toLowerCase() || object === MEMBER_OF_GROUP.itemName) {
      this.report(this.outOfCollection(object), ref);
      return { ref };
    }
    if (ref.name === '') {
      this.report(`Write a property name after "${ref.object}.", for example ${this.kind}.displayName.`, ref);
      return { ref };
    }
    if (ref.name === undefined) {
      const definition = findProperty(this.kind, ref.object);
      const guess = definition?.name ?? closest(ref.object, propertyNames(this.kind));
      this.unknown(`"${ref.object}" is not a property: write ${this.kind}.<property>.`, ref, guess && `${this.kind}.${guess}`);
      return { ref };
    }
    if (object === other) {
      this.report(
        `This is a ${this.kind} rule: ${ref.object}.${ref.name} is a ${other} property, and users and devices cannot be mixed in one rule.`,
        ref,
      );
      return { ref };
    }
    if (object !== this.kind) {
      const guess = findProperty(this.kind, ref.name)?.name ?? ref.name;
      this.unknown(`Properties of a ${this.kind} rule start with "${this.kind}.", not "${ref.object}.".`, ref, `${this.kind}.${guess}`);
      return { ref };
    }
    const definition = findProperty(this.kind, ref.name);
    if (!definition) {
      const guess = closest(ref.name, propertyNames(this.kind));
      const elsewhere = findProperty(other, ref.name) ? ` (${ref.name} is a ${other} property)` : '';
      this.unknown(`${ref.name} is not a ${this.kind} property that rules can use${elsewhere}.`, ref, guess && `${this.kind}.${guess}`);
      return { ref };
    }
    return { ref: { ...ref, object: this.kind, name: definition.name }, definition };
  }

  private outOfCollection(object: string): string {
    if (object === '_') {
      return (
        '_ stands for each value of a collection and can only be used inside -any or -all, ' +
        'for example user.proxyAddresses -any (_ -startsWith "smtp:").'
      );
    }
    if (object === MEMBER_OF_GROUP.itemName) {
      return `group.objectId can only be used inside ${this.kind}.memberOf -any (group.objectId -in ['<group object id>']).`;
    }
    return 'assignedPlan properties can only be used inside user.assignedPlans -any (…) or -all (…).';
  }

  private unknown(message: string, ref: PropertyRef, suggestion: string | undefined): void {
    this.report(suggestion ? `${message} Did you mean ${suggestion}?` : message, ref, suggestion);
  }
}

/**
 * The value as the canonical text writes it: a number compared with text is quoted (`"50001"`),
 * a quoted boolean is not (`true`). Dates keep the form they were written in; both are documented.
 */
function canonicalValue(value: Value, type: PropertyType): Value {
  if (value.type === 'list') return { ...value, items: value.items.map((item) => canonicalScalar(item, type)) };
  return canonicalScalar(value, type);
}

function canonicalScalar(value: ScalarValue, type: PropertyType): ScalarValue {
  if (value.type === 'number' && (type === 'string' || type === 'stringCollection')) {
    return { type: 'string', value: value.raw, span: value.span };
  }
  if (value.type === 'string' && type === 'boolean' && /^(true|false)$/i.test(value.value)) {
    return { type: 'boolean', value: value.value.toLowerCase() === 'true', span: value.span };
  }
  return value;
}

function describe(ref: PropertyRef): string {
  return ref.name === undefined ? ref.object : `${ref.object}.${ref.name}`;
}
