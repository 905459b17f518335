/**
 * What `work` gives if it settles within `ms`, else `late`, without keeping the process alive.
 * The timer ends with the work: a timer left running would hold the race, and through it the
 * work's answer (a request and its card), until it fired, seconds after the answer went out.
 * A plain timer rather than an abortable sleep: aborting one builds an AbortError, stack and
 * all, on every answer of a burst.
 */
export async function answerWithin<T, L>(work: Promise<T>, ms: number, late: L): Promise<T | L> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<L>((resolve) => {
    timer = setTimeout(resolve, ms, late).unref();
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
