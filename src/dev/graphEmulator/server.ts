import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AuthenticateCaller, Caller } from '../callerIdentity';
import { executeBatch } from './batch';
import type { GraphResponse } from './context';
import { handleControl } from './controls';
import { FaultInjector, faultError, type FaultSpec } from './faults';
import type { DirectoryFixture } from './fixture';
import { GraphHttpError, graphErrorBody } from './graphError';
import { addDeviceRoutes } from './devices';
import { addGroupRoutes } from './groups';
import { addGroupUpsertRoutes } from './groupUpsert';
import { RequestLog, type BatchPartRecord } from './requestLog';
import { Router } from './router';
import { addServicePrincipalRoutes } from './servicePrincipals';
import { DirectoryStore } from './store';
import { addUserRoutes } from './users';
import { addDirectoryRoleRoutes } from './directoryRoles';

/** The HTTP front of the emulator: Graph under /v1.0, test controls under /_emulator. */

export const GRAPH_VERSION_PREFIX = '/v1.0';
export const CONTROL_PREFIX = '/_emulator';
/** Graph refuses request bodies above 4 MB. */
const MAX_BODY_BYTES = 4 * 1024 * 1024;
const JSON_CONTENT_TYPE = 'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8';

export interface GraphEmulatorServerOptions {
  authenticate: AuthenticateCaller;
  fixture: DirectoryFixture;
  host: string;
  port: number;
}

interface CallIds {
  requestId: string;
  clientRequestId: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class GraphEmulatorServer {
  readonly store: DirectoryStore;
  readonly faults = new FaultInjector();
  readonly log = new RequestLog();
  /** Added before answering every HTTP request to /v1.0 (not each $batch part), like a network's round trip. */
  latencyMs = 0;
  private readonly router = new Router();
  private server?: http.Server;
  private baseUrl = '';

  constructor(private readonly options: GraphEmulatorServerOptions) {
    this.store = new DirectoryStore(options.fixture);
    addUserRoutes(this.router);
    addDirectoryRoleRoutes(this.router);
    addDeviceRoutes(this.router);
    addServicePrincipalRoutes(this.router);
    addGroupRoutes(this.router);
    addGroupUpsertRoutes(this.router);
  }

  get url(): string {
    return this.baseUrl;
  }

  /** Back to the fixture's directory, with no faults, latency or logged requests. */
  reset(): void {
    this.store.load(this.options.fixture);
    this.faults.clear();
    this.log.clear();
    this.latencyMs = 0;
  }

  async start(): Promise<string> {
    const server = http.createServer((request, response) => {
      this.handle(request, response).catch((error: unknown) => {
        if (!response.headersSent) {
          response.writeHead(500, { 'Content-Type': 'text/plain' });
          response.end(`Emulator failure: ${(error as Error).message}`);
        }
      });
    });
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port, this.options.host, () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    this.baseUrl = `http://${this.options.host}:${port}`;
    return this.baseUrl;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async handle(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    const started = Date.now();
    const target = new URL(request.url ?? '/', this.baseUrl);
    const method = (request.method ?? 'GET').toUpperCase();
    const ids: CallIds = {
      requestId: randomUUID(),
      clientRequestId: String(request.headers['client-request-id'] ?? randomUUID()),
    };
    let rawBody: string;
    try {
      rawBody = await readBody(request);
    } catch (error) {
      this.send(response, this.errorResponse(error, ids), ids);
      return;
    }

    if (target.pathname === CONTROL_PREFIX || target.pathname.startsWith(`${CONTROL_PREFIX}/`)) {
      const answer = handleControl(this, method, target.pathname.slice(CONTROL_PREFIX.length), parseControlBody(rawBody));
      this.send(response, answer, ids);
      return;
    }

    if (this.latencyMs > 0) await sleep(this.latencyMs);
    const graphPath = target.pathname.startsWith(`${GRAPH_VERSION_PREFIX}/`)
      ? target.pathname.slice(GRAPH_VERSION_PREFIX.length) + target.search
      : undefined;
    const { answer, batchParts } = await this.answerGraph(request, method, graphPath, rawBody, ids);
    this.log.add({
      at: new Date(started).toISOString(),
      method,
      url: graphPath ?? target.pathname + target.search,
      status: answer.status,
      durationMs: Date.now() - started,
      ...(batchParts ? { batchParts } : {}),
    });
    this.send(response, answer, ids);
  }

  private async answerGraph(
    request: http.IncomingMessage,
    method: string,
    graphPath: string | undefined,
    rawBody: string,
    ids: CallIds,
  ): Promise<{ answer: GraphResponse; batchParts?: BatchPartRecord[] }> {
    try {
      if (graphPath === undefined) {
        throw new GraphHttpError(400, 'BadRequest', 'Invalid version: the path must start with /v1.0/.');
      }
      const caller = this.authenticate(request.headers.authorization);
      const body = parseGraphBody(rawBody);
      const headers = Object.fromEntries(
        Object.entries(request.headers).flatMap(([name, value]) => (typeof value === 'string' ? [[name.toLowerCase(), value]] : [])),
      );
      return await this.dispatch({ method, pathWithQuery: graphPath, body, headers }, caller, 'request', ids);
    } catch (error) {
      return { answer: this.errorResponse(error, ids) };
    }
  }

  private authenticate(authorization: string | undefined): Caller {
    const caller = this.options.authenticate(authorization);
    if (!caller) {
      throw new GraphHttpError(
        401,
        'InvalidAuthenticationToken',
        authorization ? 'Access token validation failure. Invalid audience.' : 'Access token is empty.',
      );
    }
    if (caller.tenantId.toLowerCase() !== this.store.tenant.id) {
      throw new GraphHttpError(
        401,
        'InvalidAuthenticationToken',
        `Access token validation failure: the token is for tenant ${caller.tenantId}, this directory is tenant ${this.store.tenant.id}.`,
      );
    }
    return caller;
  }

  /** One Graph call, top-level or inside a $batch, through faults and the routes. */
  private async dispatch(
    { method, pathWithQuery, body, headers }: { method: string; pathWithQuery: string; body: unknown; headers: Record<string, string> },
    caller: Caller,
    level: 'request' | 'batchPart',
    ids: CallIds,
  ): Promise<{ answer: GraphResponse; batchParts?: BatchPartRecord[] }> {
    const url = new URL(pathWithQuery, 'http://graph.invalid');
    const path = url.pathname;
    try {
      const fault = this.faults.take(level, method, path);
      if (fault?.delayMs) await sleep(fault.delayMs);
      if (fault?.status && !fault.applied) throw this.faultAnswer(fault, fault.status);
      if (level === 'request' && method === 'POST' && path.toLowerCase() === '/$batch') {
        const { response, parts } = await executeBatch(
          body,
          async (part) =>
            (
              await this.dispatch(
                { method: part.method, pathWithQuery: part.url, body: part.body, headers: part.headers },
                caller,
                'batchPart',
                ids,
              )
            ).answer,
          ids.requestId,
          ids.clientRequestId,
        );
        return { answer: response, batchParts: parts };
      }
      const { handler, params } = this.router.match(method, path);
      const answer = await handler({
        method,
        path,
        params,
        query: url.searchParams,
        body,
        headers,
        caller,
        store: this.store,
        versionRoot: `${this.baseUrl}${GRAPH_VERSION_PREFIX}`,
      });
      // The work is done, yet the caller hears a failure: whether Graph acted is then unknown to it.
      if (fault?.status && fault.applied && answer.status < 400) throw this.faultAnswer(fault, fault.status);
      return { answer };
    } catch (error) {
      return { answer: this.errorResponse(error, ids) };
    }
  }

  private faultAnswer(fault: FaultSpec, status: number): GraphHttpError {
    const { code, message } = faultError(fault);
    return new GraphHttpError(
      status,
      code,
      message,
      fault.retryAfterSeconds === undefined ? {} : { 'Retry-After': String(fault.retryAfterSeconds) },
    );
  }

  private errorResponse(error: unknown, ids: CallIds): GraphResponse {
    const graphError =
      error instanceof GraphHttpError
        ? error
        : new GraphHttpError(500, 'InternalServerError', `The emulator failed: ${(error as Error).message}`);
    return {
      status: graphError.status,
      headers: graphError.headers,
      body: graphErrorBody(graphError.code, graphError.message, ids.requestId, ids.clientRequestId),
    };
  }

  private send(response: http.ServerResponse, answer: GraphResponse, ids: CallIds): void {
    const headers: Record<string, string> = {
      'request-id': ids.requestId,
      'client-request-id': ids.clientRequestId,
      ...answer.headers,
    };
    if (answer.body === undefined) {
      response.writeHead(answer.status, headers).end();
      return;
    }
    response.writeHead(answer.status, { 'Content-Type': JSON_CONTENT_TYPE, ...headers }).end(JSON.stringify(answer.body));
  }
}

function readBody(request: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new GraphHttpError(413, 'RequestEntityTooLarge', 'The request body is larger than 4 MB.'));
        request.resume();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function parseGraphBody(raw: string): unknown {
  if (raw.trim() === '') return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    throw new GraphHttpError(
      400,
      'BadRequest',
      'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.',
    );
  }
}

function parseControlBody(raw: string): unknown {
  try {
    return raw.trim() === '' ? undefined : JSON.parse(raw);
  } catch {
    return undefined;
  }
}
