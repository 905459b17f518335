import { setTimeout as sleep } from 'node:timers/promises';

/**
 * What `work` gives if it settles within `ms`, else `late`, without keeping the process alive.
 * The timer ends with the work: a timer left running would hold the race, and through it the
 * work's answer (a request and its card), until it fired, seconds after the answer went out.
 */
export async function answerWithin<T, L>(work: Promise<T>, ms: number, late: L): Promise<T | L> {
  const done = new AbortController();
  try {
    return await Promise.race([work, sleep(ms, late, { ref: false, signal: done.signal })]);
  } finally {
    done.abort();
  }
}
