import { isTransientFailure, type GraphFailure } from './graphErrors';

/**
 * How long to wait for Graph and how often to try again. Throttling (429) and server errors
 * (5xx) are retried after Graph's Retry-After or an exponential backoff, a bounded number of times.
 * Right after the bot made a group, Entra's replicas may not know it yet: a 404, or a 400 saying a
 * referenced object does not exist, is then retried after a short wait too.
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
  /** First wait when a new group is still replicating; doubled each retry. */
  replicationDelayMs: number;
}

export const DEFAULT_RETRY_OPTIONS: RetryOptions = {
  maxAttempts: 5,
  baseDelayMs: 1_000,
  maxDelayMs: 60_000,
  timeoutMs: 30_000,
  replicationDelayMs: 500,
};

/** How long after its creation a group's 404s and "does not exist" answers are taken for replication lag. */
export const REPLICATION_WINDOW_MS = 2 * 60 * 1000;

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

/** One failed try, and what decides whether another may follow. */
export interface FailedTry {
  failure: GraphFailure;
  /** Tries made so far, this one included. */
  attempt: number;
  /** False for a call that must not run twice: only throttling is retried then. */
  repeatable: boolean;
  /** Epoch ms until which the group the call names is young enough to be still replicating. */
  replicatingUntil?: number;
}

const NOT_REPLICATED = /do(es)? not exist/i;

function isReplicationLag(failure: GraphFailure): boolean {
  return failure.status === 404 || (failure.status === 400 && NOT_REPLICATED.test(failure.message));
}

/** The one retry decision: the wait before trying again, or undefined to give up with this failure. */
export function retryDelay(options: RetryOptions, failed: FailedTry, now = Date.now()): number | undefined {
  const { failure, attempt } = failed;
  if (attempt >= options.maxAttempts) return undefined;
  if (failure.status === 429 || (failed.repeatable && isTransientFailure(failure))) {
    const delay = backoffDelay(options, attempt, failure.retryAfterMs);
    return delay <= options.maxDelayMs ? delay : undefined;
  }
  if (failed.replicatingUntil !== undefined && now < failed.replicatingUntil && isReplicationLag(failure)) {
    return options.replicationDelayMs * 2 ** (attempt - 1);
  }
  return undefined;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
