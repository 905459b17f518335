/**
 * Teams renders TextBlocks, facts and message text as Markdown (links included), so text a
 * person typed or a service sent must be escaped before it is templated: otherwise
 * `[Open the approval portal](https://…)` becomes a link the bot appears to vouch for.
 * CommonMark lets a backslash escape any ASCII punctuation; these are the ones that start
 * emphasis, links, code, HTML, entities or mentions anywhere in a line.
 */
const INLINE_MARKUP = /[\\`*_[\]()<>&#~|!{}]/g;
/** A numbered list item starts a line with digits and a dot or parenthesis. */
const NUMBERED_ITEM = /^([ \t]*)(\d+)([.)])/gm;
/** A bullet, or a heading underline, starts a line with one of these. */
const LINE_MARK = /^([ \t]*)([-+=])/gm;

export function markdownText(text: string): string {
  return text.replace(INLINE_MARKUP, '\\$&').replace(NUMBERED_ITEM, '$1$2\\$3').replace(LINE_MARK, '$1\\$2');
}
