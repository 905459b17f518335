/**
 * Faults injected by tests and benchmarks: throttling (429 + Retry-After), outages (5xx),
 * slow answers (to make a client time out), whole requests or single parts of a $batch.
 */

export type FaultTarget = 'request' | 'batchPart' | 'any';

export interface FaultSpec {
  /** Status to answer with, e.g. 429 or 503. Omit for a delay that then answers normally. */
  status?: number;
  /** Sent as Retry-After (seconds) with the error. */
  retryAfterSeconds?: number;
  code?: string;
  message?: string;
  /**
   * Carry the call out, then answer with `status` anyway (only when it succeeded): a server error
   * after Graph already did the work, such as a group created although the client heard 503.
   */
  applied?: boolean;
  /** Hold the answer this long first; past the client's timeout it simulates one. */
  delayMs?: number;
  /** How many matching calls it affects (default 1). */
  count?: number;
  /** How many matching calls to let through before it starts (default 0). */
  after?: number;
  /** Only calls with this HTTP method. */
  method?: string;
  /** Only calls whose Graph path (below /v1.0, without query) starts with this, e.g. '/groups'. */
  pathPrefix?: string;
  /** 'request' (default): HTTP requests, including POST /$batch itself; 'batchPart': requests inside a $batch. */
  target?: FaultTarget;
}

export interface PendingFault extends FaultSpec {
  id: number;
  remaining: number;
  passed: number;
}

const DEFAULT_CODES: Record<number, [string, string]> = {
  429: ['TooManyRequests', 'Too many requests. Retry after the time given in the Retry-After header.'],
  500: ['generalException', 'An unspecified error has occurred.'],
  502: ['badGateway', 'The gateway received an invalid response.'],
  503: ['serviceNotAvailable', 'The service is temporarily unavailable. Retry later.'],
  504: ['gatewayTimeout', 'The gateway did not receive a response in time.'],
};

export function faultError(fault: FaultSpec): { code: string; message: string } {
  const [code, message] = DEFAULT_CODES[fault.status ?? 500] ?? ['generalException', 'Injected failure.'];
  return { code: fault.code ?? code, message: fault.message ?? message };
}

export class FaultInjector {
  private faults: PendingFault[] = [];
  private nextId = 1;

  add(spec: FaultSpec): PendingFault {
    if (spec.status === undefined && spec.delayMs === undefined) {
      throw new Error('A fault needs a status, a delayMs, or both.');
    }
    const fault: PendingFault = { ...spec, id: this.nextId++, remaining: spec.count ?? 1, passed: 0 };
    this.faults.push(fault);
    return fault;
  }

  clear(): void {
    this.faults = [];
  }

  pending(): PendingFault[] {
    return this.faults.map((fault) => ({ ...fault }));
  }

  /** The first pending fault that applies to this call, consumed by one. */
  take(target: Exclude<FaultTarget, 'any'>, method: string, path: string): FaultSpec | undefined {
    const fault = this.faults.find(
      (candidate) =>
        [target, 'any'].includes(candidate.target ?? 'request') &&
        (candidate.method === undefined || candidate.method.toUpperCase() === method.toUpperCase()) &&
        (candidate.pathPrefix === undefined || path.toLowerCase().startsWith(candidate.pathPrefix.toLowerCase())),
    );
    if (!fault) return undefined;
    if (fault.passed < (fault.after ?? 0)) {
      fault.passed += 1;
      return undefined;
    }
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.faults = this.faults.filter((candidate) => candidate !== fault);
    return fault;
  }
}
