import { request } from 'node:https';
import type { TokenEndpointAnswer } from '../entraTokenService';

/** Where the token service exchanges a Teams SSO token for its connection's scopes, as the real one asks Entra. */
export interface EntraEndpoint {
  authorityHost: string;
  tenantId: string;
  /** The authority's certificate, trusted for this call only. */
  caCertPem: string;
}

/** An on-behalf-of request to Entra's token endpoint over HTTPS, for Graph's `/.default`. */
export function exchangeOnBehalfOf(
  entra: EntraEndpoint,
  client: { clientId: string; clientSecret: string },
  assertion: string,
): Promise<TokenEndpointAnswer> {
  const form = new URLSearchParams({
    grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
    requested_token_use: 'on_behalf_of',
    client_id: client.clientId,
    client_secret: client.clientSecret,
    assertion,
    scope: 'https://graph.microsoft.com/.default',
  }).toString();
  const url = new URL(`${entra.authorityHost}/${entra.tenantId}/oauth2/v2.0/token`);
  return new Promise((resolve, reject) => {
    const call = request(
      url,
      { method: 'POST', ca: entra.caCertPem, agent: false, headers: { 'content-type': 'application/x-www-form-urlencoded' } },
      (response) => {
        let text = '';
        response.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
        response.on('end', () => {
          try {
            resolve({ status: response.statusCode ?? 500, body: JSON.parse(text) as Record<string, unknown> });
          } catch (error) {
            reject(error);
          }
        });
      },
    );
    call.on('error', reject);
    call.end(form);
  });
}
