/**
 * How long to wait for Graph and how often to try again. Throttling (429) and server errors
 * (5xx) are retried after Graph's Retry-After or an exponential backoff, a bounded number of times.
 */

export interface RetryOptions {
  /** Tries per call, the first included. */
  maxAttempts: number;
  /** First backoff when Graph gives no Retry-After; doubled each retry. */
  baseDelayMs: number;
  /** Longest single wait. A Retry-After beyond it ends the retries (the error says how long to wait). */
  maxDelayMs: number;
  /** Each HTTP call is abandoned after this long. */
  timeoutMs: number;
}

export const DEFAULT_RETRY_OPTIONS: RetryOptions = {
  maxAttempts: 5,
  baseDelayMs: 1_000,
  maxDelayMs: 60_000,
  timeoutMs: 30_000,
};

export function retryOptions(overrides: Partial<RetryOptions> = {}): RetryOptions {
  const options = { ...DEFAULT_RETRY_OPTIONS, ...overrides };
  for (const [name, value] of Object.entries(options)) {
    if (!Number.isFinite(value) || value < 0) throw new Error(`Graph retry option ${name} must be a non-negative number, not ${value}.`);
  }
  if (options.maxAttempts < 1) throw new Error('Graph retry option maxAttempts must be at least 1.');
  return options;
}

/** Retry-After as Graph sends it: seconds, or an HTTP date. */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (value === null || value === undefined || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** The wait before try number `attempt + 1`, with jitter so parallel callers spread out. */
export function backoffDelay(options: RetryOptions, attempt: number, retryAfterMs?: number): number {
  if (retryAfterMs !== undefined) return retryAfterMs;
  const exponential = options.baseDelayMs * 2 ** (attempt - 1);
  return Math.min(options.maxDelayMs, exponential * (0.8 + Math.random() * 0.4));
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
