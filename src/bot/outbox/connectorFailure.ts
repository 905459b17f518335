/**
 * How a failed Bot Connector call is handled. Teams asks bots to retry 412, 429, 502 and 504
 * (`bots/how-to/rate-limit.md`), after `Retry-After` when given; a connection that failed is
 * retried too. Anything else (the bot removed from the team, a message too large, an unknown
 * message) will fail the same way again.
 */
export interface ConnectorFailure {
  status?: number;
  retriable: boolean;
  retryAfterMs?: number;
}

const RETRIED = new Set([412, 429, 502, 504]);

export function connectorFailure(error: unknown): ConnectorFailure {
  const failure = error as { statusCode?: unknown; response?: { headers?: { get?(name: string): string | undefined } } };
  const status = typeof failure?.statusCode === 'number' ? failure.statusCode : undefined;
  const retryAfter = Number(failure?.response?.headers?.get?.('retry-after'));
  return {
    status,
    retriable: status === undefined || RETRIED.has(status),
    ...(Number.isFinite(retryAfter) && retryAfter >= 0 ? { retryAfterMs: retryAfter * 1000 } : {}),
  };
}

/** Exponential backoff with jitter, from 1 s up to a minute, when Teams gave no Retry-After. */
export function backoffMs(attempt: number): number {
  const ceiling = Math.min(60_000, 1000 * 2 ** Math.max(0, attempt - 1));
  return ceiling / 2 + Math.random() * (ceiling / 2);
}
