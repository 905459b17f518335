import type { Expression, MembershipRule, PropertyRef, ScalarValue, Value } from './ast';
import { MEMBER_OF_GROUP } from './properties';

/**
 * Prints a rule in one canonical form: hyphenated camelCase operators, double-quoted text
 * (single quotes for memberOf group ids, as Microsoft writes them), `-not (…)`, and only the
 * parentheses the tree's grouping needs, plus those around -and groups joined by -or.
 * Parsing the output gives back the same tree.
 */

export function formatRule(rule: MembershipRule): string {
  if (rule.type === 'directReports') return `Direct Reports for ${doubleQuoted(rule.managerId.value)}`;
  return formatExpression(rule, 0);
}

/** Binding strength; a child weaker than its place requires is parenthesised. */
const LEVEL: Record<Expression['type'], number> = { or: 1, and: 2, not: 3, comparison: 4, collection: 4 };

function formatExpression(expression: Expression, minimumLevel: number): string {
  const text = formatBare(expression);
  return LEVEL[expression.type] < minimumLevel ? `(${text})` : text;
}

function formatBare(expression: Expression): string {
  switch (expression.type) {
    case 'and': {
      // -and groups to the left, so a right operand that is itself an -and keeps its parentheses.
      const { left, right } = expression;
      return `${formatExpression(left, LEVEL.and)} -and ${formatExpression(right, LEVEL.and + 1)}`;
    }
    case 'or': {
      // Precedence alone would allow `a -and b -or c`; admins read `(a -and b) -or c` more easily.
      const { left, right } = expression;
      const leftLevel = left.type === 'or' ? LEVEL.or : LEVEL.not;
      return `${formatExpression(left, leftLevel)} -or ${formatExpression(right, LEVEL.not)}`;
    }
    case 'not':
      return `-not (${formatExpression(expression.operand, 0)})`;
    case 'comparison': {
      const singleQuotes = expression.property.object.toLowerCase() === MEMBER_OF_GROUP.itemName;
      return `${formatProperty(expression.property)} -${expression.operator} ${formatValue(expression.value, singleQuotes)}`;
    }
    case 'collection':
      return `${formatProperty(expression.property)} -${expression.quantifier} (${formatExpression(expression.condition, 0)})`;
  }
}

function formatProperty(property: PropertyRef): string {
  return property.name === undefined ? property.object : `${property.object}.${property.name}`;
}

export function formatValue(value: Value, singleQuotes = false): string {
  if (value.type === 'list') return `[${value.items.map((item) => formatScalar(item, singleQuotes)).join(', ')}]`;
  return formatScalar(value, singleQuotes);
}

function formatScalar(value: ScalarValue, singleQuotes: boolean): string {
  switch (value.type) {
    case 'string':
      return singleQuotes ? singleQuoted(value.value) : doubleQuoted(value.value);
    case 'boolean':
      return String(value.value);
    case 'null':
      return 'null';
    case 'number':
    case 'dateTime':
      return value.raw;
    case 'now':
      return value.shift ? `system.now -${value.shift.direction} ${value.shift.duration}` : 'system.now';
  }
}

function doubleQuoted(text: string): string {
  return `"${text.replace(/[`"]/g, (ch) => `\`${ch}`)}"`;
}

function singleQuoted(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}
