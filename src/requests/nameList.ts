/** How many names a card or a message lists before it only counts the rest. */
export const NAMES_LISTED = 25;

/** `a, b, c …and 950 more`: a list that stays short whatever its length, every name counted. */
export function listNames(names: readonly string[], listed = NAMES_LISTED): string {
  const shown = names.slice(0, listed).join(', ');
  const rest = names.length - listed;
  return rest > 0 ? `${shown} …and ${rest.toLocaleString('en-US')} more` : shown;
}
