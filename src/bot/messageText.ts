/**
 * The words of a Teams message as a person typed them. Teams sends channel and group chat
 * messages as HTML-ish text: `<at>Group Requests</at>&nbsp;use this channel for approvals`, with
 * `&amp;`, `&lt;`, `&#39;` and numeric entities. Every step is one linear pass.
 */

const NAMED_ENTITIES: Record<string, string> = { nbsp: ' ', amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** The longest code point reference worth reading: `&#x10FFFF;` and `&#1114111;`. */
const ENTITY = /&(#x[0-9a-f]{1,6}|#[0-9]{1,7}|[a-z]{2,6});/gi;

/** Any `<at>` mention, of the bot or of someone else: commands never name people. */
const MENTION = /<at>[^<]*<\/at>/gi;

function decodeEntity(whole: string, name: string): string {
  if (name.startsWith('#')) {
    const code = name[1] === 'x' || name[1] === 'X' ? Number.parseInt(name.slice(2), 16) : Number.parseInt(name.slice(1), 10);
    const isCodePoint = code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff);
    return isCodePoint ? String.fromCodePoint(code) : whole;
  }
  return NAMED_ENTITIES[name.toLowerCase()] ?? whole;
}

/** Mentions removed, entities decoded, runs of white space made one space, ends trimmed. */
export function plainMessageText(text: string): string {
  return text.replace(MENTION, ' ').replace(ENTITY, decodeEntity).replace(/\s+/g, ' ').trim();
}
