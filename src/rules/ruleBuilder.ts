import { COMPARISON_OPERATORS, type ComparisonOperator, type Expression, type RuleKind, type ScalarValue, type Span } from './ast';
import { formatRule } from './formatter';
import { findProperty } from './properties';

/** One row of the form's simple rule builder: property, operator, value, and how it joins the rows before it. */
export interface BuilderClause {
  join?: 'and' | 'or';
  /** `user.department`, `device.devicePhysicalIds`. */
  property: string;
  /** An operator name without its dash: `eq`, `startsWith`, `in`. */
  operator: string;
  value: string;
}

export type BuiltRule = { ok: true; rule: string } | { ok: false; problem: string };

const NEGATIVE_OPERATORS: ReadonlySet<ComparisonOperator> = new Set([
  'ne',
  'notStartsWith',
  'notEndsWith',
  'notContains',
  'notMatch',
  'notIn',
]);

/** The builder makes text, not spans: positions only matter for rules a person typed. */
const NOWHERE: Span = { offset: 0, length: 0 };

function scalar(type: string, text: string): ScalarValue {
  if (type === 'boolean') return { type: 'boolean', value: text.trim().toLowerCase() === 'true', span: NOWHERE };
  return { type: 'string', value: text, span: NOWHERE };
}

function clauseExpression(kind: RuleKind, clause: BuilderClause, row: number): Expression | string {
  const [object, name] = clause.property.split('.');
  const property = object === kind && name ? findProperty(kind, name) : undefined;
  if (!property) return `Row ${row}: choose a ${kind} property.`;
  if (!(COMPARISON_OPERATORS as readonly string[]).includes(clause.operator)) return `Row ${row}: choose an operator.`;
  const operator = clause.operator as ComparisonOperator;
  const text = clause.value.trim();
  if (!text) return `Row ${row}: give a value to compare ${clause.property} with.`;
  if (property.type === 'boolean' && !/^(true|false)$/i.test(text)) return `Row ${row}: ${clause.property} is true or false.`;
  if (!['string', 'boolean', 'stringCollection'].includes(property.type)) {
    return `Row ${row}: ${clause.property} needs the advanced rule text.`;
  }
  const value =
    operator === 'in' || operator === 'notIn'
      ? {
          type: 'list' as const,
          items: text
            .split(',')
            .map((item) => scalar(property.type, item.trim()))
            .filter((v) => v.type !== 'string' || v.value),
          span: NOWHERE,
        }
      : scalar(property.type, text);
  const ref = { type: 'property' as const, object: kind, name: property.name, span: NOWHERE };
  if (property.type === 'stringCollection') {
    // A collection is tested item by item: device.devicePhysicalIds -any (_ -startsWith "[ZTDId]").
    // A negative test must hold for every item, or one other id would satisfy it.
    const item = { type: 'property' as const, object: '_', span: NOWHERE };
    const condition: Expression = { type: 'comparison', property: item, operator, operatorSpan: NOWHERE, value, span: NOWHERE };
    const quantifier = NEGATIVE_OPERATORS.has(operator) ? 'all' : 'any';
    return { type: 'collection', property: ref, quantifier, operatorSpan: NOWHERE, condition, span: NOWHERE };
  }
  return { type: 'comparison', property: ref, operator, operatorSpan: NOWHERE, value, span: NOWHERE };
}

/**
 * Turns builder rows into rule text, joined in the order shown (each join applies to
 * everything before it, as a person reads the rows). Rows with no property are skipped.
 */
export function buildRule(kind: RuleKind, clauses: readonly BuilderClause[]): BuiltRule {
  let rule: Expression | undefined;
  let row = 0;
  for (const clause of clauses) {
    row += 1;
    if (!clause.property) continue;
    const expression = clauseExpression(kind, clause, row);
    if (typeof expression === 'string') return { ok: false, problem: expression };
    rule = rule ? { type: clause.join === 'or' ? 'or' : 'and', left: rule, right: expression, span: NOWHERE } : expression;
  }
  if (!rule) return { ok: false, problem: 'Choose a property, an operator and a value in the first row.' };
  return { ok: true, rule: formatRule(rule) };
}
