import { COMPARISON_OPERATORS, type ComparisonOperator, QUANTIFIERS, type Quantifier } from './ast';

/** Operator spellings. Entra reads operators case-insensitively (`-EQ`, `-startswith`, `-notin`). */

const COMPARISONS_BY_LOWER = new Map<string, ComparisonOperator>(COMPARISON_OPERATORS.map((op) => [op.toLowerCase(), op]));

export function comparisonOperator(word: string): ComparisonOperator | undefined {
  return COMPARISONS_BY_LOWER.get(word.toLowerCase());
}

export function quantifier(word: string): Quantifier | undefined {
  const lower = word.toLowerCase();
  return QUANTIFIERS.find((q) => q === lower);
}

export type LogicalOperator = 'and' | 'or' | 'not';

export function logicalOperator(word: string): LogicalOperator | undefined {
  const lower = word.toLowerCase();
  return lower === 'and' || lower === 'or' || lower === 'not' ? lower : undefined;
}

/** Every operator word, for suggestions when an unknown one is written. */
export const ALL_OPERATOR_WORDS: readonly string[] = [...COMPARISON_OPERATORS, ...QUANTIFIERS, 'and', 'or', 'not'];

/** The negative operators are the exact negation of a positive one. */
export const NEGATION_OF: Partial<Record<ComparisonOperator, ComparisonOperator>> = {
  ne: 'eq',
  notStartsWith: 'startsWith',
  notEndsWith: 'endsWith',
  notContains: 'contains',
  notMatch: 'match',
  notIn: 'in',
};
