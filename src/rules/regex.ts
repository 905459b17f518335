/**
 * -match patterns. Entra matches case-insensitively and anywhere in the value (`.*vid` matches
 * "David"), which is what an unanchored, case-insensitive JavaScript expression does.
 */
export function compileRegex(pattern: string): { regex?: RegExp; problem?: string } {
  try {
    return { regex: new RegExp(pattern, 'i') };
  } catch (error) {
    const reason = error instanceof Error ? error.message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, '') : String(error);
    return { problem: reason.charAt(0).toLowerCase() + reason.slice(1) };
  }
}
