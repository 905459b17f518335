import type { GroupRequest } from '../requests/groupRequest';
import { markdownText as md } from './markdownText';

/** Names per message: 500 names of ~50 characters stay far under Teams' 100 KB (UTF-16). */
const NAMES_PER_MESSAGE = 500;

/**
 * Every member of a request, as messages for the requester's or approver's personal chat:
 * the full list a card only counts ("…and 4,975 more"), a few hundred names a message.
 */
export function memberListMessages(request: GroupRequest): string[] {
  const { members } = request;
  const total = members.length.toLocaleString('en-US');
  const messages: string[] = [];
  for (let start = 0; start < members.length; start += NAMES_PER_MESSAGE) {
    const part = members.slice(start, start + NAMES_PER_MESSAGE);
    const range = `${(start + 1).toLocaleString('en-US')}–${(start + part.length).toLocaleString('en-US')} of ${total}`;
    const names = part.map((m) => `${md(m.displayName)} (${md(m.reference)})`).join('\n\n');
    messages.push(`Members of "${md(request.spec.displayName)}" (request ${request.id}), ${range}:\n\n${names}`);
  }
  return messages;
}
