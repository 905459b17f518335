/** What a person can say to the bot, parsed from the message text. */
export type Command =
  | { kind: 'newGroup' }
  | { kind: 'help' }
  | { kind: 'myRequests' }
  | { kind: 'pending' }
  | { kind: 'status'; requestId: string }
  | { kind: 'cancel'; requestId: string }
  | { kind: 'useChannelForApprovals' }
  | { kind: 'unknown'; text: string };

const PATTERNS: [RegExp, (m: RegExpMatchArray) => Command][] = [
  [/^(new( group)?|request( a)? group|create( a)? group)$/, () => ({ kind: 'newGroup' })],
  [/^(help|\?|commands)$/, () => ({ kind: 'help' })],
  [/^(my requests|mine|my groups)$/, () => ({ kind: 'myRequests' })],
  [/^(pending|pending requests|approvals)$/, () => ({ kind: 'pending' })],
  [/^status\s+#?([a-z0-9]+)$/, (m) => ({ kind: 'status', requestId: m[1].toUpperCase() })],
  [/^cancel\s+#?([a-z0-9]+)$/, (m) => ({ kind: 'cancel', requestId: m[1].toUpperCase() })],
  [/^use this channel for approvals$/, () => ({ kind: 'useChannelForApprovals' })],
];

/** Reads a message, ignoring the @mention of the bot, case and extra spaces. */
export function parseCommand(text: string | undefined): Command {
  const plain = (text ?? '')
    .replace(/<at>[^<]*<\/at>/gi, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  const lowered = plain.toLowerCase().replace(/[.!]+$/, '');
  for (const [pattern, make] of PATTERNS) {
    const match = lowered.match(pattern);
    if (match) return make(match);
  }
  return { kind: 'unknown', text: plain };
}
