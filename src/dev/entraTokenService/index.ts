import { randomUUID } from 'node:crypto';
import { type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { AuthenticateCaller } from '../callerIdentity';
import { createCallerAuthenticator } from './callerAuthentication';
import { entraError } from './entraError';
import { createSigningKey } from './jsonWebToken';
import { type LocalCertificate, createLocalCertificate } from './localCertificate';
import type { RegisteredApp } from './registeredApps';
import type { AccessPolicy } from './conditionalAccess';
import type { TokenEndpointAnswer } from './entraError';
import { answerTokenRequest, signInInteractively, type InteractiveSignIn, type TokenAuthority } from './tokenEndpoint';

export { BOT_APPLICATION_PERMISSIONS, BOT_DELEGATED_PERMISSIONS, type RegisteredApp } from './registeredApps';
export { GRAPH_AUDIENCE } from './graphResource';
export type { AccessPolicy } from './conditionalAccess';
export type { InteractiveSignIn } from './tokenEndpoint';
export type { TokenEndpointAnswer } from './entraError';
export { type LocalCertificate, createLocalCertificate } from './localCertificate';

export interface EntraTokenServiceOptions {
  /** 0 or absent: any free port. */
  port?: number;
  tenantId: string;
  apps: RegisteredApp[];
  /** Lifetime of the Graph tokens it issues; an hour, as Entra's default. */
  accessTokenLifetimeSeconds?: number;
  /**
   * The HTTPS certificate for 127.0.0.1, when other local services (the Graph directory
   * emulator) serve with the same one so that clients trust a single PEM. Made at start if absent.
   */
  certificate?: LocalCertificate;
}

/** The token Teams would send the bot in `value.authentication.token` (SSO). */
export interface UserTokenRequest {
  oid: string;
  /** The audience: the bot's client id or its Application ID URI (`api://<domain>/botid-<clientId>`). */
  audience: string;
  /** Defaults to the service's tenant; another one models a user from elsewhere. */
  tid?: string;
  name?: string;
  preferredUsername?: string;
  /** Defaults to an hour; negative issues a token that has already expired. */
  lifetimeSeconds?: number;
}

export interface EntraTokenService {
  /** Pass as `authorityHost` to @azure/identity credentials (with `disableInstanceDiscovery: true`). */
  authorityHost: string;
  tenantId: string;
  /** The self-signed certificate the service's HTTPS uses, to be trusted by its clients. */
  caCertPem: string;
  issueUserToken(request: UserTokenRequest): string;
  /**
   * A sign-in at Entra's own page (as the Bot Framework token service opens it), answered as the
   * token endpoint answers: a Graph token for the app, or the error the page would show.
   */
  signInInteractively(signIn: InteractiveSignIn): TokenEndpointAnswer;
  /** Conditional Access for one user from now on; undefined removes it. */
  setPolicy(oid: string, policy: AccessPolicy | undefined): void;
  /** An admin revokes the app's delegated consent (AADSTS65001 until someone grants it again). */
  withdrawConsent(clientId: string): void;
  authenticateCaller: AuthenticateCaller;
  stop(): Promise<void>;
}

/** Teams' web client, the app a Teams SSO token is issued to. */
const TEAMS_WEB_CLIENT_ID = '5e3ce6c0-2b1f-4285-8d4b-75ee78787346';
const HOST = '127.0.0.1';
const MAX_FORM_BYTES = 64 * 1024;

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  response.end(JSON.stringify(body));
}

async function readForm(request: IncomingMessage): Promise<URLSearchParams | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_FORM_BYTES) return undefined;
    chunks.push(chunk as Buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

/**
 * A local Microsoft identity platform (v2) for one tenant, over HTTPS on 127.0.0.1, good enough
 * for @azure/identity's ClientSecretCredential and OnBehalfOfCredential (MSAL underneath): the
 * OpenID metadata, the signing keys, and the token endpoint for client credentials and
 * on-behalf-of. The key and the certificate are made at start and live as long as the service.
 */
export async function startEntraTokenService(options: EntraTokenServiceOptions): Promise<EntraTokenService> {
  const certificate = options.certificate ?? createLocalCertificate(HOST);
  const key = createSigningKey();
  const server = createServer({ cert: certificate.certPem, key: certificate.keyPem });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, HOST, () => resolve());
  });
  const origin = `https://${HOST}:${(server.address() as AddressInfo).port}`;
  const issuerOf = (tenant: string): string => `${origin}/${tenant}/v2.0`;
  const policies = new Map<string, AccessPolicy>();
  const withdrawn = new Set<string>();
  const authority: TokenAuthority = {
    tenantId: options.tenantId,
    issuer: issuerOf(options.tenantId),
    apps: options.apps,
    key,
    accessTokenLifetimeSeconds: options.accessTokenLifetimeSeconds ?? 3600,
    policyFor: (oid) => policies.get(oid.toLowerCase()),
    consentedPermissions: (app) => (withdrawn.has(app.clientId.toLowerCase()) ? [] : (app.delegatedPermissions ?? [])),
  };
  const knownTenant = (tenant: string): boolean => tenant.toLowerCase() === options.tenantId.toLowerCase();
  const unknownTenant = (tenant: string) =>
    entraError(
      400,
      'invalid_tenant',
      90002,
      `Tenant '${tenant}' not found. This local authority serves tenant '${options.tenantId}' only.`,
    );

  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    const path = new URL(request.url ?? '/', origin).pathname;
    const [, tenant = '', ...rest] = path.split('/');
    const route = `${request.method} /${rest.join('/')}`;
    if (route === 'GET /v2.0/.well-known/openid-configuration') {
      if (!knownTenant(tenant)) return sendJson(response, unknownTenant(tenant).status, unknownTenant(tenant).body);
      return sendJson(response, 200, {
        issuer: issuerOf(tenant),
        token_endpoint: `${origin}/${tenant}/oauth2/v2.0/token`,
        authorization_endpoint: `${origin}/${tenant}/oauth2/v2.0/authorize`,
        end_session_endpoint: `${origin}/${tenant}/oauth2/v2.0/logout`,
        jwks_uri: `${origin}/${tenant}/discovery/v2.0/keys`,
        token_endpoint_auth_methods_supported: ['client_secret_post'],
        grant_types_supported: ['client_credentials', 'urn:ietf:params:oauth:grant-type:jwt-bearer'],
        response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
        subject_types_supported: ['pairwise'],
        id_token_signing_alg_values_supported: ['RS256'],
        scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
        tenant_region_scope: null,
      });
    }
    if (route === 'GET /discovery/v2.0/keys') {
      if (!knownTenant(tenant)) return sendJson(response, unknownTenant(tenant).status, unknownTenant(tenant).body);
      return sendJson(response, 200, { keys: [{ ...key.publicKey.export({ format: 'jwk' }), kid: key.kid, use: 'sig', alg: 'RS256' }] });
    }
    if (route === 'POST /oauth2/v2.0/token') {
      void readForm(request).then(
        (form) => {
          const answer = form
            ? answerTokenRequest(authority, tenant, form, Math.floor(Date.now() / 1000))
            : entraError(413, 'invalid_request', 90014, `The request body is larger than ${MAX_FORM_BYTES} bytes.`);
          sendJson(response, answer.status, answer.body);
        },
        () => response.destroy(),
      );
      return;
    }
    return sendJson(response, 404, {
      error: 'not_found',
      error_description: `This local authority does not serve ${request.method} ${path}.`,
    });
  });

  return {
    authorityHost: origin,
    tenantId: options.tenantId,
    caCertPem: certificate.certPem,
    issueUserToken(user) {
      const exp = Math.floor(Date.now() / 1000) + (user.lifetimeSeconds ?? 3600);
      // An already expired token was issued a minute before it expired, not in the future.
      const issuedAt = Math.min(Math.floor(Date.now() / 1000), exp - 60);
      const tid = user.tid ?? options.tenantId;
      return key.sign({
        aud: user.audience,
        iss: issuerOf(tid),
        tid,
        oid: user.oid,
        sub: user.oid,
        iat: issuedAt,
        nbf: issuedAt,
        exp,
        appid: TEAMS_WEB_CLIENT_ID,
        azp: TEAMS_WEB_CLIENT_ID,
        idtyp: 'user',
        scp: 'access_as_user',
        uti: randomUUID(),
        ver: '2.0',
        ...(user.name ? { name: user.name } : {}),
        ...(user.preferredUsername ? { preferred_username: user.preferredUsername } : {}),
      });
    },
    signInInteractively(signIn) {
      return signInInteractively(authority, signIn, (app) => withdrawn.delete(app.clientId.toLowerCase()), Math.floor(Date.now() / 1000));
    },
    setPolicy(oid, policy) {
      if (policy) policies.set(oid.toLowerCase(), policy);
      else policies.delete(oid.toLowerCase());
    },
    withdrawConsent(clientId) {
      withdrawn.add(clientId.toLowerCase());
    },
    authenticateCaller: createCallerAuthenticator(key, authority.issuer),
    async stop() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
