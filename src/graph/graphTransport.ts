import type { TokenCredential } from '@azure/core-auth';
import { Client, GraphError, HTTPMessageHandler } from '@microsoft/microsoft-graph-client';
import { DirectoryError } from '../requests/directory';
import {
  GraphCallError,
  failureFromBody,
  translateGraphFailure,
  type GraphAction,
  type GraphFailure,
  type GraphIdentity,
} from './graphErrors';
import { parseRetryAfter, retryDelay, retryOptions, sleep, type RetryOptions } from './retryPolicy';

/**
 * Sends Graph calls with the Microsoft Graph JS client: a fresh token per call from the
 * TokenCredential, a timeout per HTTP call, retries of throttled and failed calls, and JSON
 * batches whose failed parts are retried on their own.
 */

export const GRAPH_BASE_URL = 'https://graph.microsoft.com';
export const GRAPH_VERSION = 'v1.0';
export const DEFAULT_GRAPH_SCOPES = ['https://graph.microsoft.com/.default'];
/** Graph runs at most 20 requests per JSON batch. */
export const MAX_BATCH_PARTS = 20;
/**
 * Batches in flight at once: a requester waits on the resolution of thousands of names, and a
 * few parallel batches stay far below Graph's throttling limits.
 */
const CONCURRENT_BATCHES = 4;

export interface GraphClientOptions {
  credential: TokenCredential;
  /** https://graph.microsoft.com in production; the local emulator's URL otherwise. */
  baseUrl?: string;
  scopes?: string[];
  retry?: Partial<RetryOptions>;
  /**
   * Waited for before each call is sent. Calls resumed together (the creations a burst of
   * approvals starts, once their nickname check answers) then take the event loop one at a time.
   */
  takeTurn?: () => Promise<void>;
}

export interface GraphCall {
  method: 'GET' | 'POST' | 'PATCH';
  /** Below the version root, query already encoded: '/users?$filter=…'. */
  path: string;
  body?: unknown;
  action: GraphAction;
  /**
   * False for calls that must not run twice (creating a group): they are retried only when
   * throttled, since a timeout or server error leaves unknown whether Graph did the work.
   */
  repeatable?: boolean;
  /** Sent as they are, e.g. `Prefer: create-if-missing`. */
  headers?: Record<string, string>;
  /** Epoch ms until which the group the call names may still be replicating (see retryPolicy). */
  replicatingUntil?: number;
}

export interface BatchPart {
  method: 'GET' | 'POST' | 'PATCH';
  url: string;
  body?: unknown;
  /** The part's own, e.g. `Prefer: create-if-missing`; Content-Type goes with every body. */
  headers?: Record<string, string>;
}

export interface BatchPartResult {
  status: number;
  body?: unknown;
  /** Set when the part failed for good (after its retries, for transient failures). */
  failure?: GraphFailure;
  /** Set when the whole $batch carrying the part failed for good, so the part never ran or its answer was lost. */
  error?: DirectoryError;
  attempts: number;
}

export const succeeded = (result: BatchPartResult) => !result.failure && !result.error;

interface BatchAnswer {
  responses?: { id: string; status: number; headers?: Record<string, string>; body?: unknown }[];
}

interface Page<T> {
  value: T[];
  '@odata.nextLink'?: string;
}

function headerValue(headers: Record<string, string> | undefined, name: string): string | undefined {
  const key = Object.keys(headers ?? {}).find((candidate) => candidate.toLowerCase() === name);
  return key === undefined ? undefined : headers?.[key];
}

/** A part's headers as a $batch carries them: Graph refuses a part with a body and no Content-Type. */
function partHeaders(part: BatchPart): { headers?: Record<string, string> } {
  const headers = { ...part.headers, ...(part.body === undefined ? {} : { 'Content-Type': 'application/json' }) };
  return Object.keys(headers).length === 0 ? {} : { headers };
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

export class GraphTransport {
  readonly versionRoot: string;
  private readonly client: Client;
  private readonly credential: TokenCredential;
  private readonly scopes: string[];
  private readonly retry: RetryOptions;
  private readonly takeTurn?: () => Promise<void>;

  constructor(
    options: GraphClientOptions,
    private readonly identity: GraphIdentity,
  ) {
    const baseUrl = (options.baseUrl ?? GRAPH_BASE_URL).replace(/(?<!\/)\/+$/, '');
    this.versionRoot = `${baseUrl}/${GRAPH_VERSION}`;
    this.retry = retryOptions(options.retry);
    this.takeTurn = options.takeTurn;
    // Asked directly: the SDK's TokenCredentialAuthenticationProvider builds an Error, stack and all, on every call.
    this.credential = options.credential;
    this.scopes = options.scopes ?? DEFAULT_GRAPH_SCOPES;
    // Only the HTTP handler: retries and timeouts are ours, and the SDK's own authentication
    // handler signs only https://graph.microsoft.com URLs, not a local emulator.
    this.client = Client.initWithMiddleware({ baseUrl, defaultVersion: GRAPH_VERSION, middleware: new HTTPMessageHandler() });
  }

  /** The reference Graph takes in @odata.bind and @odata.id. */
  directoryObjectUrl(id: string): string {
    return `${this.versionRoot}/directoryObjects/${encodeURIComponent(id)}`;
  }

  async call<T>(call: GraphCall): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      let failure: GraphFailure;
      try {
        await this.takeTurn?.();
        return await this.send<T>(call);
      } catch (error) {
        if (error instanceof DirectoryError) throw error;
        failure = this.failureOf(error);
      }
      const delay = retryDelay(this.retry, {
        failure,
        attempt,
        repeatable: call.repeatable !== false,
        replicatingUntil: call.replicatingUntil,
      });
      if (delay === undefined) throw new GraphCallError(translateGraphFailure(failure, call.action, this.identity, attempt), failure);
      await sleep(delay);
    }
  }

  /** Every page of a collection, following @odata.nextLink. */
  async *pages<T>(path: string, action: GraphAction, replicatingUntil?: number): AsyncGenerator<T[]> {
    let next: string | undefined = path;
    while (next !== undefined) {
      const page: Page<T> = await this.call<Page<T>>({ method: 'GET', path: next, action, replicatingUntil });
      yield page.value;
      next = page['@odata.nextLink'] === undefined ? undefined : this.belowVersionRoot(page['@odata.nextLink']);
    }
  }

  async all<T>(path: string, action: GraphAction): Promise<T[]> {
    const items: T[] = [];
    for await (const page of this.pages<T>(path, action)) items.push(...page);
    return items;
  }

  /**
   * Runs the parts in JSON batches of 20, a few batches at a time. Parts that fail
   * transiently (429, 5xx) are sent again, after the longest Retry-After among them.
   */
  async batch(parts: readonly BatchPart[], action: GraphAction, replicatingUntil?: number): Promise<BatchPartResult[]> {
    const results: BatchPartResult[] = new Array(parts.length);
    const groups = chunk(
      parts.map((part, index) => ({ ...part, index })),
      MAX_BATCH_PARTS,
    );
    let next = 0;
    const worker = async () => {
      while (next < groups.length) await this.runBatch(groups[next++], action, results, replicatingUntil);
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENT_BATCHES, groups.length) }, worker));
    return results;
  }

  private async runBatch(
    group: (BatchPart & { index: number })[],
    action: GraphAction,
    results: BatchPartResult[],
    replicatingUntil: number | undefined,
  ): Promise<void> {
    let pending = group;
    for (let attempt = 1; pending.length > 0; attempt += 1) {
      let answer: BatchAnswer;
      try {
        answer = await this.call<BatchAnswer>({
          method: 'POST',
          path: '/$batch',
          action,
          body: {
            requests: pending.map((part) => ({
              id: String(part.index),
              method: part.method,
              url: part.url,
              ...(part.body === undefined ? {} : { body: part.body }),
              ...partHeaders(part),
            })),
          },
        });
      } catch (error) {
        if (!(error instanceof DirectoryError)) throw error;
        // Other batches keep their answers; this one's parts all share its failure.
        for (const part of pending) results[part.index] = { status: 0, error, attempts: attempt };
        return;
      }
      const answers = new Map((answer.responses ?? []).map((response) => [response.id, response]));
      const again: typeof pending = [];
      let wait = 0;
      for (const part of pending) {
        const response = answers.get(String(part.index));
        if (response && response.status < 400) {
          results[part.index] = { status: response.status, body: response.body, attempts: attempt };
          continue;
        }
        const retryAfterMs = parseRetryAfter(headerValue(response?.headers, 'retry-after'));
        const failure = response
          ? failureFromBody(response.status, response.body, retryAfterMs)
          : { kind: 'http' as const, status: 500, code: 'MissingBatchResponse', message: 'Graph sent no answer for this part.' };
        const delay = retryDelay(this.retry, { failure, attempt, repeatable: true, replicatingUntil });
        if (delay !== undefined) {
          again.push(part);
          wait = Math.max(wait, delay);
        } else {
          results[part.index] = { status: failure.status, body: response?.body, failure, attempts: attempt };
        }
      }
      pending = again;
      if (pending.length > 0) await sleep(wait);
    }
  }

  /** A failed part as the DirectoryError to report. */
  partError(result: BatchPartResult, action: GraphAction): DirectoryError {
    if (result.error) return result.error;
    const failure = result.failure ?? { kind: 'http', status: result.status, code: `HTTP${result.status}`, message: '' };
    return translateGraphFailure(failure, action, this.identity, result.attempts);
  }

  private async send<T>(call: GraphCall): Promise<T> {
    let token: string;
    try {
      const access = await this.credential.getToken(this.scopes);
      if (!access) throw new Error('the credential gave no token');
      token = access.token;
    } catch (error) {
      if (error instanceof DirectoryError) throw error;
      throw new DirectoryError(
        'token_request_failed',
        `The bot could not get an access token for Microsoft Graph: ${(error as Error).message}`,
      );
    }
    // Cleared once answered: AbortSignal.timeout would fire anyway, building a TimeoutError for every call made.
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(), this.retry.timeoutMs);
    const request = this.client
      .api(call.path)
      .headers({ ...call.headers, Authorization: `Bearer ${token}` })
      .option('signal', timeout.signal);
    try {
      switch (call.method) {
        case 'GET':
          return (await request.get()) as T;
        case 'POST':
          return (await request.post(call.body)) as T;
        case 'PATCH':
          return (await request.patch(call.body)) as T;
      }
    } finally {
      clearTimeout(timer);
    }
  }

  private failureOf(error: unknown): GraphFailure {
    if (error instanceof GraphError && error.statusCode > 0) {
      let body: unknown;
      try {
        body = typeof error.body === 'string' ? { error: JSON.parse(error.body) } : undefined;
      } catch {
        body = undefined;
      }
      const failure = failureFromBody(error.statusCode, body, parseRetryAfter(error.headers?.get('retry-after')));
      return { ...failure, code: error.code ?? failure.code, message: error.message || failure.message };
    }
    // The SDK wraps what fetch threw; from another realm (a test VM) it keeps it in `body` instead.
    const cause = (error instanceof GraphError && typeof error.body === 'object' && error.body !== null ? error.body : error) as {
      name?: string;
      message?: string;
      cause?: { code?: string };
    };
    const name = (error instanceof GraphError ? error.code : undefined) ?? cause.name;
    if (name === 'TimeoutError' || name === 'AbortError') {
      return { kind: 'timeout', status: 0, code: 'Timeout', message: `no answer within ${this.retry.timeoutMs} ms` };
    }
    const reason = [cause.message, cause.cause?.code].filter(Boolean).join(': ');
    return { kind: 'network', status: 0, code: 'NetworkError', message: `${reason || String(error)} at ${this.versionRoot}` };
  }

  private belowVersionRoot(link: string): string {
    if (link.startsWith(this.versionRoot)) return link.slice(this.versionRoot.length);
    const url = new URL(link);
    const path = url.pathname.replace(new RegExp(`^/${GRAPH_VERSION.replace('.', '\\.')}`), '');
    return path + url.search;
  }
}
