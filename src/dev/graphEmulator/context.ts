import type { Caller } from '../callerIdentity';
import type { DirectoryStore } from './store';

/** One Graph call as handlers see it, whether it came over HTTP or inside a $batch. */
export interface GraphRequestContext {
  method: string;
  /** Path below /v1.0, starting with '/'. */
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
  /** Request headers, names in lower case (a $batch part's own headers for a part). */
  headers: Record<string, string>;
  caller: Caller;
  store: DirectoryStore;
  /** Absolute URL of the version root (…/v1.0), for @odata.nextLink and @odata.context. */
  versionRoot: string;
}

export interface GraphResponse {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

export type GraphHandler = (context: GraphRequestContext) => GraphResponse | Promise<GraphResponse>;
