import { randomUUID } from 'node:crypto';

/** A token endpoint answer: Entra's JSON body and its HTTP status. */
export interface TokenEndpointAnswer {
  status: number;
  body: Record<string, unknown>;
}

/**
 * An error the way Entra words it, so MSAL classifies it exactly as it would a real one:
 * `error` (OAuth code), `suberror` (e.g. consent_required), and the AADSTS number in
 * `error_codes` and at the start of `error_description`.
 */
export function entraError(status: number, error: string, aadsts: number, description: string, suberror?: string): TokenEndpointAnswer {
  const traceId = randomUUID();
  const correlationId = randomUUID();
  const timestamp = new Date()
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, 'Z');
  return {
    status,
    body: {
      error,
      error_description: `AADSTS${aadsts}: ${description} Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${timestamp}`,
      error_codes: [aadsts],
      timestamp,
      trace_id: traceId,
      correlation_id: correlationId,
      ...(suberror ? { suberror } : {}),
    },
  };
}

export const missingParameter = (name: string): TokenEndpointAnswer =>
  entraError(400, 'invalid_request', 900144, `The request body must contain the following parameter: '${name}'.`);
