/** What /readyz says: ready only when the request store answers a read in time. */
export type Readiness = { ready: true } | { ready: false; reason: string; error?: unknown };

/** Long enough for a store under load, short enough for a platform probe's own timeout. */
const STORE_ANSWER_WITHIN_MS = 3000;
/** A setting nobody writes: reading it is one small round trip to the store. */
const PROBE_SETTING = 'readinessProbe';

export interface ReadinessSources {
  store: { getSetting(name: string): Promise<string | undefined> };
  /** True once the bot has begun to stop: a load balancer should send no more activities. */
  stopping(): boolean;
}

export async function checkReadiness({ store, stopping }: ReadinessSources, answerWithinMs = STORE_ANSWER_WITHIN_MS): Promise<Readiness> {
  if (stopping()) return { ready: false, reason: 'The bot is stopping.' };
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), answerWithinMs);
  });
  try {
    const answer = await Promise.race([store.getSetting(PROBE_SETTING).then(() => 'read' as const), late]);
    return answer === 'read' ? { ready: true } : { ready: false, reason: `The request store did not answer within ${answerWithinMs} ms.` };
  } catch (error) {
    return { ready: false, reason: 'The request store could not be read.', error };
  } finally {
    clearTimeout(timer);
  }
}
