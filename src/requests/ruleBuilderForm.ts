import { buildRule, type BuilderClause, type BuiltRule } from '../rules/ruleBuilder';

/** The rule builder's rows on the form: property, operator and value, joined by and/or. */
export const BUILDER_ROWS = 3;
export const BUILDER_FIELDS = [
  'ruleProperty1',
  'ruleOperator1',
  'ruleValue1',
  'ruleJoin2',
  'ruleProperty2',
  'ruleOperator2',
  'ruleValue2',
  'ruleJoin3',
  'ruleProperty3',
  'ruleOperator3',
  'ruleValue3',
] as const;

type BuilderValues = Partial<Record<(typeof BUILDER_FIELDS)[number], string>>;

/** The rows a requester filled in, in order; undefined when they used none. */
function clauses(values: BuilderValues): BuilderClause[] | undefined {
  const rows: BuilderClause[] = [];
  const read = (key: string) => (values as Record<string, string | undefined>)[key] ?? '';
  for (let row = 1; row <= BUILDER_ROWS; row++) {
    rows.push({
      join: read(`ruleJoin${row}`) === 'or' ? 'or' : 'and',
      property: read(`ruleProperty${row}`),
      operator: read(`ruleOperator${row}`),
      value: read(`ruleValue${row}`),
    });
  }
  return rows.some((r) => r.property) ? rows : undefined;
}

/** The rule the builder rows make, when the requester used the builder rather than the text. */
export function builtRule(values: BuilderValues): BuiltRule | undefined {
  const rows = clauses(values);
  if (!rows) return undefined;
  const kind = rows.find((r) => r.property)?.property.startsWith('device.') ? 'device' : 'user';
  return buildRule(kind, rows);
}
