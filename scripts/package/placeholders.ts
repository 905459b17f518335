/** `${{NAME}}`: how Agents Toolkit project files and the manifest name a value of the environment's env files. */
const PLACEHOLDER = /\$\{\{([A-Z][A-Z0-9_]*)\}\}/g;

/** Every placeholder name `text` uses. */
export function placeholders(text: string): Set<string> {
  return new Set(Array.from(text.matchAll(PLACEHOLDER), (m) => m[1]));
}

/** `text` with every placeholder filled; the names without a value are returned instead of guessed. */
export function fillPlaceholders(text: string, values: Record<string, string>): { text: string; missing: string[] } {
  const missing = [...placeholders(text)].filter((name) => !values[name]);
  return { text: text.replace(PLACEHOLDER, (_, name: string) => values[name] ?? ''), missing };
}
