import { RE2JS } from 're2js';
import { UnsupportedPatternError } from './errors';

/**
 * -match patterns. Entra matches case-insensitively and anywhere in the value (`.*vid` matches
 * "David"). Patterns are run only on RE2's linear-time engine: a backtracking engine lets one
 * pattern such as `(.|.)*!` hold a thread for minutes. Entra's own syntax is .NET's; JavaScript's
 * stands in for it when a pattern is checked, and is never used to run one.
 */

/** Why Entra would refuse the pattern, or undefined when it is valid. */
export function regexProblem(pattern: string): string | undefined {
  try {
    // Compiling only reads the pattern; nothing is ever matched with it.
    new RegExp(pattern, 'i');
    return undefined;
  } catch (error) {
    // V8 says "Invalid regular expression: /<pattern>/i: <reason>"; the pattern is shown elsewhere.
    const message = error instanceof Error ? error.message : String(error);
    const echoEnd = message.lastIndexOf('/i: ');
    const reason = echoEnd < 0 ? message : message.slice(echoEnd + 4);
    return reason.charAt(0).toLowerCase() + reason.slice(1);
  }
}

export interface LinearPattern {
  /** Whether the pattern occurs anywhere in the text, ignoring case. */
  test(text: string): boolean;
}

/** Compiles a valid pattern for RE2; throws UnsupportedPatternError when it needs backtracking. */
export function compileLinearPattern(pattern: string): LinearPattern {
  try {
    return RE2JS.compile(pattern, RE2JS.CASE_INSENSITIVE);
  } catch {
    throw new UnsupportedPatternError(pattern, unsupportedFeature(pattern));
  }
}

const FEATURES: [string, string][] = [
  ['(?<=', 'a lookbehind'],
  ['(?<!', 'a lookbehind'],
  ['(?=', 'a lookahead'],
  ['(?!', 'a lookahead'],
  ['(?>', 'an atomic group'],
  ['\\k<', 'a backreference'],
];

function unsupportedFeature(pattern: string): string {
  for (const [marker, feature] of FEATURES) if (pattern.includes(marker)) return feature;
  for (let i = 0; i + 1 < pattern.length; i++) {
    if (pattern[i] !== '\\') continue;
    if (pattern[i + 1] >= '1' && pattern[i + 1] <= '9') return 'a backreference';
    i++;
  }
  return 'a construct that only a backtracking engine supports';
}
