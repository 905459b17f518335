/**
 * The Entra dynamic membership rule language: parse, validate, format, evaluate and preview.
 * Plain functions over plain data; nothing here talks to Teams, Graph or storage.
 */
export type {
  Binary,
  BooleanValue,
  CollectionCondition,
  Comparison,
  ComparisonOperator,
  DateTimeValue,
  DirectReports,
  Expression,
  ListValue,
  MembershipRule,
  Not,
  NowValue,
  NullValue,
  NumberValue,
  PropertyRef,
  Quantifier,
  RuleKind,
  ScalarValue,
  Span,
  StringValue,
  Value,
} from './ast';
export { InvalidRuleError, type RuleError, RuleSyntaxError, UnsupportedPatternError } from './errors';
export { parseRule } from './parser';
export { MAX_RULE_LENGTH, type RuleValidation, validateRule } from './validator';
export { formatRule } from './formatter';
export { type CompiledRule, compileRule, type EvaluationOptions, evaluateRule, evaluateRule as matches } from './evaluator';
export { type PreviewExample, type PreviewOptions, previewRule, type RulePreview } from './preview';
export { evaluationThreads } from './evaluationThreads';
export type { DirectoryObject } from './graphMapping';
