/** Pieces of OData query text, quoted and encoded so any value a requester typed is safe in a URL. */

/** A string literal in $filter: single quotes doubled. */
export function quoted(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** `property in ('a','b')`. */
export function inList(property: string, values: readonly string[]): string {
  return `${property} in (${values.map(quoted).join(',')})`;
}

/** A query string from OData options, each value percent-encoded. */
export function queryString(options: Record<string, string | number | undefined>): string {
  const parts = Object.entries(options)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `${key}=${encodeURIComponent(String(value))}`);
  return parts.length === 0 ? '' : `?${parts.join('&')}`;
}
