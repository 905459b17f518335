/** A problem in a rule, located so an editor can underline it. */
export interface RuleError {
  /** A sentence an admin can act on. */
  message: string;
  /** Position of the offending text, in UTF-16 code units from the start of the rule. */
  offset: number;
  /** Length of the offending text; 0 when something is missing at `offset`. */
  length: number;
  /** A likely fix, when one is obvious: "user.department", "-startsWith". */
  suggestion?: string;
}

export function ruleError(message: string, offset: number, length: number, suggestion?: string): RuleError {
  return suggestion === undefined ? { message, offset, length } : { message, offset, length, suggestion };
}

/** The rule text cannot be read as a rule at all (the parser stops at the first such problem). */
export class RuleSyntaxError extends Error {
  constructor(readonly error: RuleError) {
    super(error.message);
    this.name = 'RuleSyntaxError';
  }
}

/** A rule was used (evaluated, previewed) although it is not valid. */
export class InvalidRuleError extends Error {
  constructor(readonly errors: readonly RuleError[]) {
    super(`The membership rule is not valid: ${errors.map((e) => e.message).join(' ')}`);
    this.name = 'InvalidRuleError';
  }
}

/**
 * A valid -match pattern that the linear-time engine cannot run: lookarounds, backreferences
 * and other .NET constructs that need backtracking. Entra evaluates such a rule; we cannot.
 */
export class UnsupportedPatternError extends Error {
  constructor(
    readonly pattern: string,
    /** What the pattern uses, in words: "a lookbehind", "a backreference". */
    readonly feature: string,
  ) {
    super(`The pattern "${pattern}" uses ${feature}, which cannot be evaluated here in linear time.`);
    this.name = 'UnsupportedPatternError';
  }
}
