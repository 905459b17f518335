import type { GraphResponse } from './context';
import { badRequest, graphErrorBody } from './graphError';
import type { BatchPartRecord } from './requestLog';

/**
 * JSON batching (POST /$batch): at most 20 requests, each answered with its own status, headers
 * and body; `dependsOn` makes a request wait for others and fail (424) when one of them failed.
 */

export const MAX_BATCH_REQUESTS = 20;

export interface BatchPart {
  id: string;
  method: string;
  /** Relative to the version root, e.g. '/users?$filter=…'. */
  url: string;
  headers: Record<string, string>;
  body?: unknown;
  dependsOn: string[];
}

export type PartDispatcher = (part: BatchPart) => Promise<GraphResponse>;

function parseParts(rawBody: unknown): BatchPart[] {
  const requests = (rawBody as { requests?: unknown } | undefined)?.requests;
  if (!Array.isArray(requests) || requests.length === 0) {
    throw badRequest("Invalid batch payload format: a 'requests' array is required.", 'BadRequest');
  }
  if (requests.length > MAX_BATCH_REQUESTS) {
    throw badRequest(
      `Invalid batch payload format: ${requests.length} requests were sent; a JSON batch holds at most ${MAX_BATCH_REQUESTS}.`,
      'BadRequest',
    );
  }
  const seen = new Set<string>();
  return requests.map((raw: Record<string, unknown>) => {
    const id = raw?.id;
    if (typeof id !== 'string' || id.length === 0)
      throw badRequest('Invalid batch payload format: every request needs an id.', 'BadRequest');
    if (seen.has(id)) throw badRequest(`Invalid batch payload format: request id '${id}' is used twice.`, 'BadRequest');
    if (typeof raw.method !== 'string' || typeof raw.url !== 'string') {
      throw badRequest(`Invalid batch payload format: request '${id}' needs a method and a url.`, 'BadRequest');
    }
    if (/^https?:/i.test(raw.url)) {
      throw badRequest(`Invalid batch payload format: request '${id}' must use a URL relative to the version root.`, 'BadRequest');
    }
    const headers = Object.fromEntries(
      Object.entries((raw.headers as Record<string, string> | undefined) ?? {}).map(([key, value]) => [key.toLowerCase(), value]),
    );
    if (raw.body !== undefined && !headers['content-type']) {
      throw badRequest(`Write request id : ${id} does not contain Content-Type header or body.`, 'BadRequest');
    }
    const dependsOn = (raw.dependsOn as unknown[] | undefined) ?? [];
    if (!Array.isArray(dependsOn) || dependsOn.some((dependency) => typeof dependency !== 'string' || !seen.has(dependency))) {
      throw badRequest(`Invalid batch payload format: request '${id}' depends on a request that is not before it.`, 'BadRequest');
    }
    seen.add(id);
    const url = raw.url.startsWith('/') ? raw.url : `/${raw.url}`;
    return { id, method: raw.method.toUpperCase(), url, headers, body: raw.body, dependsOn: dependsOn as string[] };
  });
}

export async function executeBatch(
  rawBody: unknown,
  dispatch: PartDispatcher,
  requestId: string,
  clientRequestId: string,
): Promise<{ response: GraphResponse; parts: BatchPartRecord[] }> {
  const parts = parseParts(rawBody);
  const statuses = new Map<string, number>();
  const responses: { id: string; status: number; headers: Record<string, string>; body?: unknown }[] = [];
  for (const part of parts) {
    const failedDependency = part.dependsOn.find((dependency) => (statuses.get(dependency) ?? 500) >= 400);
    const answer: GraphResponse = failedDependency
      ? {
          status: 424,
          body: graphErrorBody('FailedDependency', `Request '${failedDependency}' it depends on failed.`, requestId, clientRequestId),
        }
      : await dispatch(part);
    statuses.set(part.id, answer.status);
    responses.push({
      id: part.id,
      status: answer.status,
      headers: { 'Content-Type': 'application/json', ...answer.headers },
      ...(answer.body === undefined ? {} : { body: answer.body }),
    });
  }
  return {
    response: { status: 200, body: { responses } },
    parts: parts.map((part) => ({ id: part.id, method: part.method, url: part.url, status: statuses.get(part.id) ?? 0 })),
  };
}
