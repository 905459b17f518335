import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Teams' documented rates for a bot (`bots/how-to/rate-limit.md`): per conversation 7 operations
 * in 1 s, 8 in 2 s, 60 in 30 s and 1,800 in an hour; 30 a second per app per tenant.
 */
interface Rate {
  perMs: number;
  max: number;
}
const PER_CONVERSATION: readonly Rate[] = [
  { perMs: 1_000, max: 7 },
  { perMs: 2_000, max: 8 },
  { perMs: 30_000, max: 60 },
  { perMs: 3_600_000, max: 1_800 },
];
const PER_TENANT: readonly Rate[] = [{ perMs: 1_000, max: 30 }];
const TENANT = '';
/** Clocks and timers are not exact: each window is kept this much longer. */
const MARGIN_MS = 50;
/** Conversations remembered before the quiet ones are looked for and forgotten. */
const REMEMBERED_CONVERSATIONS = 1_000;

/**
 * Spaces out the bot's sends and edits so that Teams never has to refuse one for its rate. One
 * operation runs at a time in a conversation, and each counts from when it was answered: Teams
 * saw it no later than that, so the next one, timed from there, can never come too soon.
 */
export class ConversationPacer {
  /** The operation under way in each conversation; the next waits for it. */
  private readonly busy = new Map<string, Promise<unknown>>();
  /** When each recent operation went out, per conversation ('' for the whole tenant). */
  private readonly recent = new Map<string, number[]>();
  /** A conversation Teams asked to wait for (429 with Retry-After) waits until then. */
  private readonly held = new Map<string, number>();
  /** When `recent` holds more conversations than this, the quiet ones are forgotten. */
  private forgetAbove = REMEMBERED_CONVERSATIONS;

  constructor(private readonly now: () => number = Date.now) {}

  /** Runs `operation` in its conversation once the one before it ended and it keeps within every rate. */
  run<T>(conversationId: string, operation: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    const key = conversationKey(conversationId);
    const previous = this.busy.get(key) ?? Promise.resolve();
    const mine = previous
      .catch(() => undefined)
      .then(async () => {
        await this.turn(key, signal);
        try {
          return await operation();
        } finally {
          this.count(key, this.now());
          this.count(TENANT, this.now());
        }
      });
    const settled = mine.catch(() => undefined);
    this.busy.set(key, settled);
    void settled.then(() => {
      if (this.busy.get(key) === settled) this.busy.delete(key);
    });
    return mine;
  }

  /** Resolves when one more operation in the conversation keeps within every rate. */
  private async turn(key: string, signal?: AbortSignal): Promise<void> {
    for (;;) {
      const at = this.now();
      const wait = Math.max(this.delay(key, PER_CONVERSATION, at), this.delay(TENANT, PER_TENANT, at), (this.held.get(key) ?? 0) - at);
      if (wait <= 0) return;
      await sleep(wait, undefined, { signal });
    }
  }

  /** Teams asked the bot to wait before its next operation in this conversation. */
  holdUntil(conversationId: string, at: number): void {
    const key = conversationKey(conversationId);
    this.held.set(key, Math.max(at, this.held.get(key) ?? 0));
  }

  private delay(key: string, rates: readonly Rate[], at: number): number {
    const times = this.recent.get(key) ?? [];
    let wait = 0;
    for (const rate of rates) {
      const perMs = rate.perMs + MARGIN_MS;
      const within = times.filter((t) => t > at - perMs);
      if (within.length >= rate.max) wait = Math.max(wait, within[within.length - rate.max] + perMs - at);
    }
    return wait;
  }

  private count(key: string, at: number): void {
    this.recent.set(key, [...(this.recent.get(key) ?? []).filter((t) => t > at - longestWindow(key)), at]);
    if (this.recent.size > this.forgetAbove) this.forgetQuiet(at);
  }

  /**
   * A conversation with no operation inside its longest window, or whose wait Teams asked for
   * is over, paces as one never seen: forgetting it changes no delay, and keeps these maps to the
   * conversations of the last hour rather than every chat the bot ever wrote to.
   */
  private forgetQuiet(at: number): void {
    for (const [key, times] of this.recent) if (times[times.length - 1] <= at - longestWindow(key)) this.recent.delete(key);
    for (const [key, until] of this.held) if (until <= at) this.held.delete(key);
    this.forgetAbove = Math.max(REMEMBERED_CONVERSATIONS, 2 * this.recent.size);
  }
}

function longestWindow(key: string): number {
  return (key === TENANT ? PER_TENANT : PER_CONVERSATION).reduce((ms, rate) => Math.max(ms, rate.perMs + MARGIN_MS), 0);
}

/** The replies of a channel thread (`…;messageid=…`) are counted with their channel. */
function conversationKey(conversationId: string): string {
  return `c:${conversationId.split(';messageid=')[0]}`;
}
