/**
 * Graph's error responses: `{"error":{"code","message","innerError":{...}}}` with Graph's codes.
 * Handlers throw GraphHttpError; the server turns it into the body Graph would send.
 */

export class GraphHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'GraphHttpError';
  }
}

export interface GraphErrorBody {
  error: {
    code: string;
    message: string;
    innerError: { date: string; 'request-id': string; 'client-request-id': string };
  };
}

export function graphErrorBody(code: string, message: string, requestId: string, clientRequestId: string): GraphErrorBody {
  return {
    error: {
      code,
      message,
      innerError: {
        date: new Date().toISOString().replace(/\.\d{3}Z$/, ''),
        'request-id': requestId,
        'client-request-id': clientRequestId,
      },
    },
  };
}

export const badRequest = (message: string, code = 'Request_BadRequest') => new GraphHttpError(400, code, message);

export const invalidValue = (property: string, resource: string) =>
  badRequest(`Invalid value specified for property '${property}' of resource '${resource}'.`);

export const notFound = (id: string) =>
  new GraphHttpError(
    404,
    'Request_ResourceNotFound',
    `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`,
  );

export const insufficientPrivileges = () =>
  new GraphHttpError(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');

export const referencesAlreadyExist = (property: 'members' | 'owners') =>
  badRequest(`One or more added object references already exist for the following modified properties: '${property}'.`);

/** What Entra answers while a new object has not yet reached the replica serving a write. */
export const referencesDoNotExist = () =>
  badRequest("One or more added object references do not exist for the following modified properties: 'members'.");
