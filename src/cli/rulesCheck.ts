import { type RuleKind, validateRule } from '../rules';

export interface CheckResult {
  /** One JSON line per rule. */
  lines: string[];
  allValid: boolean;
}

/** Validates every non-blank line of `input` as a rule. */
export function checkRules(input: string, kind: RuleKind | undefined): CheckResult {
  const lines: string[] = [];
  let allValid = true;
  for (const rule of input.split(/\r?\n/)) {
    if (rule.trim() === '') continue;
    const validation = validateRule(rule, kind);
    allValid &&= validation.valid;
    const { valid, errors, formatted } = validation;
    const report = valid ? { rule, valid, errors, formatted } : { rule, valid, errors };
    lines.push(JSON.stringify(report));
  }
  return { lines, allValid };
}
