/** A syntax tree with its text positions removed, for comparing trees parsed from different texts. */
export function withoutPositions(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutPositions);
  if (node === null || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.entries(node)
      .filter(([key]) => key !== 'span' && key !== 'operatorSpan')
      .map(([key, value]) => [key, withoutPositions(value)]),
  );
}
