import { compileRule, type DirectoryObject, InvalidRuleError, type RuleKind } from '../rules';

type GraphObject = DirectoryObject & { id?: unknown };

export type MatchResult = { valid: true; ids: string[] } | { valid: false; errorLines: string[] };

/** The objects of a directory file, which holds a JSON array or a Graph page `{"value": [...]}`. */
export function readDirectory(json: string, source: string): GraphObject[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (error) {
    throw new DirectoryFileError(`${source} is not valid JSON (${(error as Error).message}).`);
  }
  const items = Array.isArray(parsed) ? parsed : isPage(parsed) ? parsed.value : undefined;
  if (!items) throw new DirectoryFileError(`${source} must hold a JSON array of users or devices, or {"value": [...]}.`);
  const objects = items.filter((item): item is GraphObject => item !== null && typeof item === 'object' && !Array.isArray(item));
  if (objects.length !== items.length) throw new DirectoryFileError(`Every entry of ${source} must be a JSON object.`);
  return objects;
}

function isPage(value: unknown): value is { value: unknown[] } {
  return value !== null && typeof value === 'object' && Array.isArray((value as { value?: unknown }).value);
}

/** The directory file cannot be used. */
export class DirectoryFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DirectoryFileError';
  }
}

export function matchRule(rule: string, objects: readonly GraphObject[], kind: RuleKind | undefined, now: Date | undefined): MatchResult {
  try {
    const compiled = compileRule(rule, kind, { now });
    const ids = objects.filter((object) => compiled.matches(object)).map((object) => String(object.id ?? ''));
    return { valid: true, ids };
  } catch (error) {
    if (!(error instanceof InvalidRuleError)) throw error;
    const errorLines = error.errors.map((e) => `offset ${e.offset}, length ${e.length}: ${e.message}`);
    return { valid: false, errorLines };
  }
}
