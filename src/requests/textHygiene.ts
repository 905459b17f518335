/**
 * Characters people cannot see, in text people read: the requester's words end up on an
 * approver's card, so nothing typed may hide, reorder or fake what the approver reads.
 */

/** C0 controls and DEL. Tab, line feed and carriage return are kept apart: multi-line fields take them. */
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;
const LINE_BREAK_OR_TAB = /[\t\n\r]/;
/** Embeddings, overrides and isolates reorder the text around them: "exe.txt" can read as "txt.exe". */
const BIDI_CONTROL = /[\u202A-\u202E\u2066-\u2069]/;
/** Half of a UTF-16 pair on its own encodes no character at all. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** Characters that draw nothing: zero-width spaces and joiners, BOM, soft hyphen, fillers, and the like. */
const INVISIBLE = /[\p{Default_Ignorable_Code_Point}\u2800]/gu;

const codePoint = (char: string) => `U+${(char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;

/**
 * Why the text cannot be taken, or undefined. `singleLine` fields (names) take no line break or
 * tab either. The position is counted from 1, as people count.
 */
export function hiddenCharacterProblem(text: string, singleLine: boolean): string | undefined {
  const checks: [RegExp, (char: string) => string][] = [
    [CONTROL, (c) => `a control character (${codePoint(c)})`],
    ...(singleLine ? [[LINE_BREAK_OR_TAB, () => 'a line break or tab'] as [RegExp, (char: string) => string]] : []),
    [BIDI_CONTROL, (c) => `a text-direction control (${codePoint(c)})`],
    [LONE_SURROGATE, () => 'a broken character (half of a UTF-16 pair)'],
  ];
  for (const [pattern, what] of checks) {
    const match = pattern.exec(text);
    if (match) return `This contains ${what(match[0])} at character ${match.index + 1}: remove it.`;
  }
  return undefined;
}

/** The text without the characters that draw nothing, trimmed. */
export function visibleText(text: string): string {
  return text.replace(INVISIBLE, '').trim();
}

/** Empty, or made only of spaces and characters that draw nothing. */
export function isBlank(text: string): boolean {
  return visibleText(text) === '';
}

/**
 * What a name looks like to a reader: compatibility forms folded (NFKC: full-width letters,
 * ligatures), invisible characters dropped, spaces collapsed, case ignored. Two names with the
 * same key read the same on a card.
 */
export function lookalikeKey(name: string): string {
  return visibleText(name.normalize('NFKC')).replace(/\s+/gu, ' ').toLowerCase().normalize('NFKC');
}

/** The part of a name a directory search can start from: what the reader sees, in its case. */
export function searchableName(name: string): string {
  return visibleText(name.normalize('NFKC')).replace(/\s+/gu, ' ');
}
