import type { RequestStore } from '../requests/requestStore';

/**
 * Lets work that arrives together take the event loop one piece at a time. A burst of clicks, or
 * of Graph answers, would otherwise resume every waiter in the same turn of the loop, and each
 * one's synchronous part (an SQLite write, a card drawn, an answer written, a Graph call built)
 * would add up to a stall in which nothing else is served: no other person's message, no timer,
 * no /healthz. Each `take()` resolves in a turn of its own, after whatever the loop has waiting;
 * the bot takes one before each activity it handles, each store write and each Graph call.
 */
export class LoopTurns {
  private readonly waiting: (() => void)[] = [];
  private scheduled = false;

  /** Resolves when this caller may run; callers run in the order they asked, one per turn of the loop. */
  take(): Promise<void> {
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.schedule();
    });
  }

  // An immediate queued while immediates run waits for the next turn of the loop, after its I/O and timers.
  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.waiting.shift()?.();
      if (this.waiting.length) this.schedule();
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
