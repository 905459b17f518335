import { plainMessageText } from './messageText';

/** What a person can say to the bot, parsed from the message text. */
export type Command =
  | { kind: 'newGroup' }
  | { kind: 'help' }
  | { kind: 'myRequests' }
  | { kind: 'pending' }
  | { kind: 'status'; requestId: string }
  | { kind: 'cancel'; requestId: string }
  | { kind: 'remind'; requestId: string }
  | { kind: 'useChannelForApprovals' }
  | { kind: 'unknown'; text: string };

/**
 * Commands are a few words, and a channel message adds a mention tag or two: text longer than
 * this is not a command, and only this much of it is ever read.
 */
export const MAX_COMMAND_TEXT = 500;
/** How much of an unknown message the help card repeats back. */
const HEARD_LENGTH = 80;

const PATTERNS: [RegExp, (m: RegExpMatchArray) => Command][] = [
  [/^(new( group)?|request( a)? group|create( a)? group)$/, () => ({ kind: 'newGroup' })],
  [/^(help|\?|commands)$/, () => ({ kind: 'help' })],
  [/^(my requests|mine|my groups)$/, () => ({ kind: 'myRequests' })],
  [/^(pending|pending requests|approvals)$/, () => ({ kind: 'pending' })],
  [/^status #?([a-z0-9]+)$/, (m) => ({ kind: 'status', requestId: m[1].toUpperCase() })],
  [/^cancel #?([a-z0-9]+)$/, (m) => ({ kind: 'cancel', requestId: m[1].toUpperCase() })],
  [/^remind #?([a-z0-9]+)$/, (m) => ({ kind: 'remind', requestId: m[1].toUpperCase() })],
  [/^use this channel for approvals$/, () => ({ kind: 'useChannelForApprovals' })],
];

/** The text without the full stops and exclamation marks it ends with ("help!", "new group."). */
function withoutClosingPunctuation(text: string): string {
  let end = text.length;
  while (end > 0 && (text[end - 1] === '.' || text[end - 1] === '!')) end--;
  return text.slice(0, end);
}

function heard(plain: string): string {
  return plain.length > HEARD_LENGTH ? `${plain.slice(0, HEARD_LENGTH).trimEnd()}…` : plain;
}

/** Reads a message, ignoring @mentions, HTML entities, case and extra spaces. */
export function parseCommand(text: string | undefined): Command {
  const raw = text ?? '';
  const plain = plainMessageText(raw.slice(0, MAX_COMMAND_TEXT));
  if (raw.length > MAX_COMMAND_TEXT) return { kind: 'unknown', text: heard(plain) };
  const lowered = withoutClosingPunctuation(plain.toLowerCase());
  for (const [pattern, make] of PATTERNS) {
    const match = lowered.match(pattern);
    if (match) return make(match);
  }
  return { kind: 'unknown', text: heard(plain) };
}
