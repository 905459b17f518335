/** Entra object ids, as Teams' people picker sends them: one comma-separated string. */

const OBJECT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isObjectId(text: string): boolean {
  return OBJECT_ID.test(text);
}

/** The ids a picker sent, trimmed, repeats dropped (ids compare without case). */
export function splitObjectIds(text: string | undefined): string[] {
  const seen = new Set<string>();
  const ids: string[] = [];
  for (const part of (text ?? '').split(',')) {
    const id = part.trim();
    if (id && !seen.has(id.toLowerCase())) {
      seen.add(id.toLowerCase());
      ids.push(id);
    }
  }
  return ids;
}
