import { AsyncLocalStorage } from 'node:async_hooks';
import type { RequestStore } from '../requests/requestStore';

/** Someone waits on the answer to what is being handled: an Approve click, a command. */
interface AwaitedAnswer {
  sent: boolean;
}

/**
 * In a burst, of this many turns in a row given to work somebody waits on, the next goes to
 * background work if any waits: creations and card edits are slowed by a burst of clicks, never stopped.
 */
const ANSWER_TURNS_BEFORE_BACKGROUND = 4;

/**
 * Lets work that arrives together take the event loop one piece at a time. A burst of clicks, or
 * of Graph answers, would otherwise resume every waiter in the same turn of the loop, and each
 * one's synchronous part (an SQLite write, a card drawn, an answer written, a Graph call built)
 * would add up to a stall in which nothing else is served: no other person's message, no timer,
 * no /healthz. Each `take()` resolves in a turn of its own, after whatever the loop has waiting;
 * the bot takes one before each activity it handles, each store write and each Graph call.
 *
 * Work done for an answer not yet sent goes first: the last click of a burst of 50 is answered
 * before the first clicks' creations and card edits take the loop, which nobody watches as closely.
 */
export class LoopTurns {
  private readonly answers: (() => void)[] = [];
  private readonly background: (() => void)[] = [];
  private readonly answering = new AsyncLocalStorage<AwaitedAnswer>();
  private answerTurnsInARow = 0;
  private scheduled = false;

  /**
   * Runs `work` for someone waiting on its answer: the turns it (and whatever it starts) takes go
   * before background work's until it calls `answered`. What it started and still runs after
   * that, such as a creation, is background work from then on.
   */
  forAnswer<T>(work: (answered: () => void) => Promise<T>): Promise<T> {
    const awaited: AwaitedAnswer = { sent: false };
    return this.answering.run(awaited, () => work(() => void (awaited.sent = true)));
  }

  /** Resolves when this caller may run; callers of a kind run in the order they asked, one per turn of the loop. */
  take(): Promise<void> {
    const awaited = this.answering.getStore();
    const lane = awaited && !awaited.sent ? this.answers : this.background;
    return new Promise((resolve) => {
      lane.push(resolve);
      this.schedule();
    });
  }

  private next(): (() => void) | undefined {
    const backgroundsTurn = this.answerTurnsInARow >= ANSWER_TURNS_BEFORE_BACKGROUND && this.background.length > 0;
    if (this.answers.length && !backgroundsTurn) {
      this.answerTurnsInARow += 1;
      return this.answers.shift();
    }
    this.answerTurnsInARow = 0;
    return this.background.shift();
  }

  // An immediate queued while immediates run waits for the next turn of the loop, after its I/O and timers.
  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.next()?.();
      if (this.answers.length || this.background.length) this.schedule();
    });
  }
}

/** The store operations that write: each runs synchronously in SQLite, so each takes a turn. */
const WRITES = [
  'insert',
  'replace',
  'recordDelivered',
  'claimChange',
  'finishChange',
  'saveDraft',
  'setSetting',
] as const satisfies readonly (keyof RequestStore)[];

/** The store, each of its writes taking its turn of the loop first; reads run at once. */
export function takingTurns(store: RequestStore, turns: LoopTurns): RequestStore {
  const writes = new Set<PropertyKey>(WRITES);
  return new Proxy(store, {
    get: (target, property, receiver) => {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (!writes.has(property) || typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        await turns.take();
        return (value as (...params: unknown[]) => Promise<unknown>).apply(target, args);
      };
    },
  });
}
