/**
 * What the Bot Connector refuses, from Microsoft's Teams documentation:
 * - `bots/how-to/format-your-bot-messages.md`: a bot message is at most 100 KB, the payload
 *   measured as UTF-16; above it the bot gets 413 with the error code `MessageSizeTooBig`.
 * - `bots/how-to/rate-limit.md`: per bot per conversation 7 operations in 1 s, 8 in 2 s, 60 in
 *   30 s and 1,800 in 3,600 s; 30 per second per app per tenant. Past them: 429.
 */

export const MAX_MESSAGE_BYTES = 100 * 1024;

/** UTF-16 takes two bytes per code unit, and a JavaScript string's length counts code units. */
export function utf16Bytes(payload: string): number {
  return payload.length * 2;
}

interface Window {
  ms: number;
  max: number;
}

const PER_CONVERSATION: readonly Window[] = [
  { ms: 1_000, max: 7 },
  { ms: 2_000, max: 8 },
  { ms: 30_000, max: 60 },
  { ms: 3_600_000, max: 1_800 },
];
const PER_APP_PER_TENANT: readonly Window[] = [{ ms: 1_000, max: 30 }];

/** Sliding windows of the operations a bot made; only operations let through count. */
export class ConnectorRateLimits {
  private readonly byConversation = new Map<string, number[]>();
  private all: number[] = [];

  constructor(private readonly now: () => number = Date.now) {}

  /** Records the operation and returns 0 when it is within the limits, else the seconds to wait. */
  admit(conversationId: string): number {
    const at = this.now();
    const mine = this.byConversation.get(conversationId) ?? [];
    const wait = Math.max(waitFor(mine, PER_CONVERSATION, at), waitFor(this.all, PER_APP_PER_TENANT, at));
    if (wait > 0) return Math.ceil(wait / 1000);
    this.byConversation.set(conversationId, [...keepWithin(mine, PER_CONVERSATION, at), at]);
    this.all = [...keepWithin(this.all, PER_APP_PER_TENANT, at), at];
    return 0;
  }
}

/** Milliseconds until one more operation fits every window; 0 when it fits now. */
function waitFor(times: readonly number[], windows: readonly Window[], at: number): number {
  let wait = 0;
  for (const window of windows) {
    const inside = times.filter((t) => t > at - window.ms);
    if (inside.length >= window.max) wait = Math.max(wait, inside[inside.length - window.max] + window.ms - at);
  }
  return wait;
}

/** Only what the longest window still sees. */
function keepWithin(times: readonly number[], windows: readonly Window[], at: number): number[] {
  const longest = Math.max(...windows.map((w) => w.ms));
  return times.filter((t) => t > at - longest);
}
