/**
 * The syntax tree of an Entra dynamic membership rule.
 * Names are kept exactly as written (the validator returns a copy with canonical spellings);
 * parentheses are not kept: the tree's shape already says how the rule groups.
 */

export type RuleKind = 'user' | 'device';

/** Where a node sits in the rule text, in UTF-16 code units as JavaScript counts them. */
export interface Span {
  offset: number;
  length: number;
}

export const COMPARISON_OPERATORS = [
  'eq',
  'ne',
  'startsWith',
  'notStartsWith',
  'endsWith',
  'notEndsWith',
  'contains',
  'notContains',
  'match',
  'notMatch',
  'in',
  'notIn',
  'le',
  'ge',
] as const;
export type ComparisonOperator = (typeof COMPARISON_OPERATORS)[number];

export const QUANTIFIERS = ['any', 'all'] as const;
export type Quantifier = (typeof QUANTIFIERS)[number];

/** `user.department`, `assignedPlan.servicePlanId`, `group.objectId`, or `_` (name absent). */
export interface PropertyRef {
  type: 'property';
  object: string;
  name?: string;
  span: Span;
}

export interface StringValue {
  type: 'string';
  value: string;
  span: Span;
}

export interface BooleanValue {
  type: 'boolean';
  value: boolean;
  span: Span;
}

export interface NullValue {
  type: 'null';
  span: Span;
}

/** An unquoted number, kept as written so `007` stays `007`. */
export interface NumberValue {
  type: 'number';
  raw: string;
  span: Span;
}

/** An unquoted date and time such as `2020-06-10T18:13:20Z`, kept as written. */
export interface DateTimeValue {
  type: 'dateTime';
  raw: string;
  span: Span;
}

/** `system.now`, optionally shifted: `system.now -plus p1d` (an ISO 8601 duration, as written). */
export interface NowValue {
  type: 'now';
  shift?: { direction: 'plus' | 'minus'; duration: string };
  span: Span;
}

export type ScalarValue = StringValue | BooleanValue | NullValue | NumberValue | DateTimeValue | NowValue;

export interface ListValue {
  type: 'list';
  items: ScalarValue[];
  span: Span;
}

export type Value = ScalarValue | ListValue;

export interface Comparison {
  type: 'comparison';
  property: PropertyRef;
  operator: ComparisonOperator;
  operatorSpan: Span;
  value: Value;
  span: Span;
}

/** `user.assignedPlans -any (assignedPlan.service -eq "SCO")`, `device.devicePhysicalIds -any (_ -startsWith "[ZTDId]")`. */
export interface CollectionCondition {
  type: 'collection';
  property: PropertyRef;
  quantifier: Quantifier;
  operatorSpan: Span;
  condition: Expression;
  span: Span;
}

export interface Not {
  type: 'not';
  operand: Expression;
  span: Span;
}

export interface Binary {
  type: 'and' | 'or';
  left: Expression;
  right: Expression;
  span: Span;
}

export type Expression = Comparison | CollectionCondition | Not | Binary;

/** `Direct Reports for "<manager object id>"`: a rule on its own, never part of an expression. */
export interface DirectReports {
  type: 'directReports';
  managerId: StringValue;
  span: Span;
}

export type MembershipRule = Expression | DirectReports;
