import fc from 'fast-check';
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
} from '../../src/rules';
import { STRING_OPERATORS } from '../../src/rules/validator';
import { ASSIGNED_PLAN, findProperty, type PropertyDefinition, propertyNames } from '../../src/rules/properties';

/** Generators of valid, canonical rule trees (positions are placeholders: tests compare without them). */

const AT = { offset: 0, length: 0 };

/** Text that stresses quoting: quotes, backticks, brackets, operators, accents, line breaks. */
const awkwardText = fc.oneof(
  fc.string({
    unit: fc.constantFrom('a', 'Z', ' ', '"', '`', "'", '(', ')', '[', ']', ',', '-', '.', '_', 'é', '\n', '1', '–'),
    maxLength: 12,
  }),
  fc.string({ maxLength: 12 }),
);
const regexText = fc.constantFrom('^Da.*', '.*vid', 'es$', 's.l', '(a|b)+', '\\d{3}', '[A-Z]`"q', '');
const isoDate = fc
  .date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().replace(/\.\d{3}Z$/, 'Z'));
const duration = fc.constantFrom('p1d', 'P30D', 'pt12h', 'P1Y2M', 'P2W', 'PT90M');

function str(value: string): ScalarValue {
  return { type: 'string', value, span: AT };
}

function textValue(definition: PropertyDefinition, operator: ComparisonOperator): fc.Arbitrary<Value> {
  const single: fc.Arbitrary<ScalarValue> =
    operator === 'match' || operator === 'notMatch'
      ? regexText.map(str)
      : definition.guid && ['eq', 'ne', 'in', 'notIn'].includes(operator)
        ? fc.uuid().map(str)
        : fc.oneof(
            awkwardText.map(str),
            fc.nat().map((n) => str(String(n))),
          );
  if (operator === 'in' || operator === 'notIn') {
    return fc.array(single, { minLength: 1, maxLength: 4 }).map((items): Value => ({ type: 'list', items, span: AT }));
  }
  if (operator === 'eq' || operator === 'ne')
    return fc.oneof({ weight: 5, arbitrary: single }, { weight: 1, arbitrary: fc.constant<Value>({ type: 'null', span: AT }) });
  return single;
}

function dateValue(operator: ComparisonOperator): fc.Arbitrary<Value> {
  const values: fc.Arbitrary<Value>[] = [
    isoDate.map((raw): Value => ({ type: 'dateTime', raw, span: AT })),
    isoDate.map(str),
    fc.constant<Value>({ type: 'now', span: AT }),
    fc
      .tuple(fc.constantFrom<'plus' | 'minus'>('plus', 'minus'), duration)
      .map(([direction, d]): Value => ({ type: 'now', shift: { direction, duration: d }, span: AT })),
  ];
  if (operator === 'eq' || operator === 'ne') values.push(fc.constant<Value>({ type: 'null', span: AT }));
  return fc.oneof(...values);
}

function comparison(property: PropertyRef, definition: PropertyDefinition): fc.Arbitrary<Comparison> {
  const build = (operator: ComparisonOperator, value: Value): Comparison => ({
    type: 'comparison',
    property,
    operator,
    operatorSpan: AT,
    value,
    span: AT,
  });
  switch (definition.type) {
    case 'boolean':
      return fc
        .tuple(
          fc.constantFrom<ComparisonOperator>('eq', 'ne'),
          fc.oneof(
            fc.boolean().map((value): Value => ({ type: 'boolean', value, span: AT })),
            fc.constant<Value>({ type: 'null', span: AT }),
          ),
        )
        .map(([op, value]) => build(op, value));
    case 'dateTime':
      return fc.constantFrom<ComparisonOperator>('eq', 'ne', 'le', 'ge').chain((op) => dateValue(op).map((value) => build(op, value)));
    default:
      return fc.constantFrom(...STRING_OPERATORS).chain((op) => textValue(definition, op).map((value) => build(op, value)));
  }
}

function itemCondition(item: 'values' | 'plans', depth: number): fc.Arbitrary<Expression> {
  const leaf: fc.Arbitrary<Expression> =
    item === 'values'
      ? comparison({ type: 'property', object: '_', span: AT }, { name: '_', type: 'string' })
      : fc
          .constantFrom(...ASSIGNED_PLAN.properties)
          .chain((p) => comparison({ type: 'property', object: 'assignedPlan', name: p.name, span: AT }, p));
  return logical(leaf, depth);
}

function logical(leaf: fc.Arbitrary<Expression>, depth: number): fc.Arbitrary<Expression> {
  if (depth <= 0) return leaf;
  const inner = logical(leaf, depth - 1);
  return fc.oneof(
    { weight: 3, arbitrary: leaf },
    { weight: 1, arbitrary: inner.map((operand): Expression => ({ type: 'not', operand, span: AT })) },
    {
      weight: 2,
      arbitrary: fc
        .tuple(fc.constantFrom<'and' | 'or'>('and', 'or'), inner, inner)
        .map(([type, left, right]): Expression => ({ type, left, right, span: AT })),
    },
  );
}

function objectCondition(kind: RuleKind): fc.Arbitrary<Expression> {
  const usable = propertyNames(kind)
    .map((name) => findProperty(kind, name) as PropertyDefinition)
    .filter((p) => p.type !== 'memberOf');
  return fc.constantFrom(...usable).chain((definition): fc.Arbitrary<Expression> => {
    const property: PropertyRef = { type: 'property', object: kind, name: definition.name, span: AT };
    const collection = (item: 'values' | 'plans') =>
      fc
        .tuple(fc.constantFrom<'any' | 'all'>('any', 'all'), itemCondition(item, 2))
        .map(([quantifier, condition]): CollectionCondition => ({
          type: 'collection',
          property,
          quantifier,
          operatorSpan: AT,
          condition,
          span: AT,
        }));
    if (definition.type === 'objectCollection') return collection('plans');
    if (definition.type === 'stringCollection') return fc.oneof(collection('values'), comparison(property, definition));
    return comparison(property, definition);
  });
}

const memberOf = (kind: RuleKind): fc.Arbitrary<MembershipRule> =>
  fc.array(fc.uuid(), { minLength: 1, maxLength: 5 }).map((ids) => ({
    type: 'collection',
    property: { type: 'property', object: kind, name: 'memberOf', span: AT },
    quantifier: 'any',
    operatorSpan: AT,
    condition: {
      type: 'comparison',
      property: { type: 'property', object: 'group', name: 'objectId', span: AT },
      operator: 'in',
      operatorSpan: AT,
      value: { type: 'list', items: ids.map(str), span: AT },
      span: AT,
    },
    span: AT,
  }));

const directReports: fc.Arbitrary<MembershipRule> = fc
  .uuid()
  .map((id) => ({ type: 'directReports', managerId: { type: 'string', value: id, span: AT }, span: AT }));

/** A valid rule of the kind, in canonical spelling. */
export function validRule(kind: RuleKind): fc.Arbitrary<MembershipRule> {
  const expression = logical(objectCondition(kind), 3);
  const specials = kind === 'user' ? [memberOf(kind), directReports] : [memberOf(kind)];
  return fc.oneof({ weight: 10, arbitrary: expression }, ...specials.map((arbitrary) => ({ weight: 1, arbitrary })));
}

export const ruleKind = fc.constantFrom<RuleKind>('user', 'device');
