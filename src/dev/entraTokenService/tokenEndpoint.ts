import { randomUUID } from 'node:crypto';
import { type TokenEndpointAnswer, entraError, missingParameter } from './entraError';
import { GRAPH_AUDIENCE, readScopeRequest } from './graphResource';
import { type SigningKey, type TokenClaims, readToken } from './jsonWebToken';
import { type RegisteredApp, acceptsAudience, findApp, secretMatches } from './registeredApps';
import { type AccessPolicy, interactiveAmr, refusedByPolicy } from './conditionalAccess';

/** What the token endpoint of one tenant needs to know to answer. */
export interface TokenAuthority {
  tenantId: string;
  issuer: string;
  apps: readonly RegisteredApp[];
  key: SigningKey;
  accessTokenLifetimeSeconds: number;
  /** The Conditional Access policy that applies to a user's sign-ins, if any. */
  policyFor(oid: string): AccessPolicy | undefined;
  /** The delegated permissions an admin has consented to for an app now; `[]` when consent is missing. */
  consentedPermissions(app: RegisteredApp): string[];
}

const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

/**
 * Answers `POST /{tenant}/oauth2/v2.0/token` for the two grants the bot uses: client
 * credentials (the bot's own reads) and on-behalf-of (the approving admin's writes).
 */
export function answerTokenRequest(
  authority: TokenAuthority,
  tenantInPath: string,
  form: URLSearchParams,
  nowSeconds: number,
): TokenEndpointAnswer {
  if (tenantInPath.toLowerCase() !== authority.tenantId.toLowerCase()) {
    return entraError(
      400,
      'invalid_request',
      90002,
      `Tenant '${tenantInPath}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`,
    );
  }
  const clientId = form.get('client_id');
  if (!clientId) return missingParameter('client_id');
  const app = findApp(authority.apps, clientId);
  if (!app) {
    return entraError(
      400,
      'unauthorized_client',
      700016,
      `Application with identifier '${clientId}' was not found in the directory '${authority.tenantId}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant.`,
    );
  }
  const secret = form.get('client_secret');
  if (!secret)
    return entraError(
      401,
      'invalid_client',
      7000218,
      "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
    );
  if (!secretMatches(app, secret)) {
    return entraError(
      401,
      'invalid_client',
      7000215,
      `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${app.clientId}'.`,
    );
  }
  const scope = readScopeRequest(form.get('scope'));
  switch (scope.kind) {
    case 'missing':
      return missingParameter('scope');
    case 'other_resource':
      return entraError(
        400,
        'invalid_resource',
        500011,
        `The resource principal named ${scope.resource} was not found in the tenant named ${authority.tenantId}. This local authority issues tokens for Microsoft Graph (${GRAPH_AUDIENCE}) only.`,
      );
    case 'not_default':
      return entraError(
        400,
        'invalid_scope',
        70011,
        `The provided value for the input parameter 'scope' is not valid. The scope ${scope.scope} is not valid here: ask for ${GRAPH_AUDIENCE}/.default.`,
      );
    case 'graph_default':
      break;
  }
  const grantType = form.get('grant_type');
  if (grantType === 'client_credentials') return issueAppToken(authority, app, nowSeconds);
  if (grantType === JWT_BEARER && form.get('requested_token_use') === 'on_behalf_of') {
    return exchangeOnBehalfOf(authority, app, form.get('assertion'), nowSeconds);
  }
  if (!grantType) return missingParameter('grant_type');
  return entraError(400, 'unsupported_grant_type', 70003, `The app requested an unsupported grant type '${grantType}'.`);
}

function graphToken(authority: TokenAuthority, app: RegisteredApp, nowSeconds: number, claims: Partial<TokenClaims>): string {
  return authority.key.sign({
    aud: GRAPH_AUDIENCE,
    iss: authority.issuer,
    tid: authority.tenantId,
    iat: nowSeconds,
    nbf: nowSeconds,
    exp: nowSeconds + authority.accessTokenLifetimeSeconds,
    appid: app.clientId,
    azp: app.clientId,
    uti: randomUUID(),
    ver: '2.0',
    ...claims,
  });
}

function tokenResponse(accessToken: string, scope: string, lifetimeSeconds: number): TokenEndpointAnswer {
  return {
    status: 200,
    body: { token_type: 'Bearer', scope, expires_in: lifetimeSeconds, ext_expires_in: lifetimeSeconds, access_token: accessToken },
  };
}

function issueAppToken(authority: TokenAuthority, app: RegisteredApp, nowSeconds: number): TokenEndpointAnswer {
  const roles = app.applicationPermissions ?? [];
  const token = graphToken(authority, app, nowSeconds, { idtyp: 'app', sub: app.clientId, ...(roles.length ? { roles } : {}) });
  return tokenResponse(token, `${GRAPH_AUDIENCE}/.default`, authority.accessTokenLifetimeSeconds);
}

function exchangeOnBehalfOf(
  authority: TokenAuthority,
  app: RegisteredApp,
  assertion: string | null,
  nowSeconds: number,
): TokenEndpointAnswer {
  if (!assertion) return missingParameter('assertion');
  const reading = readToken(assertion, authority.key, nowSeconds);
  if (!reading.valid) {
    switch (reading.reason) {
      case 'malformed':
        return entraError(400, 'invalid_request', 50027, 'JWT token is invalid or malformed.');
      case 'signature':
        return entraError(400, 'invalid_grant', 50013, 'Assertion failed signature validation.');
      case 'expired':
      case 'not_yet_valid':
        return entraError(
          400,
          'invalid_grant',
          500133,
          'Assertion is not within its valid time range. Ensure that the access token is not expired before using it for user assertion, or request a new token.',
        );
    }
  }
  const user = reading.claims;
  if (user.iss !== authority.issuer || user.tid !== authority.tenantId) {
    return entraError(
      400,
      'invalid_grant',
      50013,
      `Assertion was issued for tenant '${String(user.tid)}' by '${String(user.iss)}', not by this tenant '${authority.tenantId}'.`,
    );
  }
  if (!acceptsAudience(app, user.aud)) {
    return entraError(
      400,
      'invalid_grant',
      50013,
      `Assertion audience does not match the Client app presenting the assertion. The audience in the assertion was '${String(user.aud)}' and the expected audience is '${app.clientId}' or one of the Application Id URIs of this application.`,
    );
  }
  if (typeof user.oid !== 'string' || user.idtyp === 'app') {
    return entraError(
      400,
      'invalid_grant',
      50013,
      'Assertion names no signed-in user (oid): only a user token can be exchanged on behalf of its user.',
    );
  }
  const permissions = authority.consentedPermissions(app);
  if (permissions.length === 0) return consentMissing(app);
  const refused = refusedByPolicy(authority.policyFor(user.oid), user.amr);
  if (refused) return refused;
  const passedOn = Object.fromEntries(
    ['name', 'preferred_username', 'upn', 'amr'].filter((claim) => user[claim] !== undefined).map((claim) => [claim, user[claim]]),
  );
  return userGraphToken(authority, app, nowSeconds, { oid: user.oid, ...passedOn }, permissions);
}

function consentMissing(app: RegisteredApp): TokenEndpointAnswer {
  return entraError(
    400,
    'invalid_grant',
    65001,
    `The user or administrator has not consented to use the application with ID '${app.clientId}' named '${app.clientId}'. Send an interactive authorization request for this user and resource.`,
    'consent_required',
  );
}

function userGraphToken(
  authority: TokenAuthority,
  app: RegisteredApp,
  nowSeconds: number,
  user: { oid: string } & Record<string, unknown>,
  permissions: string[],
): TokenEndpointAnswer {
  const token = graphToken(authority, app, nowSeconds, { idtyp: 'user', sub: user.oid, scp: permissions.join(' '), ...user });
  return tokenResponse(
    token,
    permissions.map((permission) => `${GRAPH_AUDIENCE}/${permission}`).join(' '),
    authority.accessTokenLifetimeSeconds,
  );
}

/** Someone at Entra's sign-in page for an app asking for Graph: who, and what they agree to there. */
export interface InteractiveSignIn {
  oid: string;
  clientId: string;
  /** An admin ticks "Consent on behalf of your organization" when the page asks for consent. */
  consentForOrganization?: boolean;
}

/**
 * The sign-in page's outcome, as the token endpoint would then answer for the app: the page can
 * take a second factor and an admin's consent, but a blocking policy stops it too.
 */
export function signInInteractively(
  authority: TokenAuthority,
  signIn: InteractiveSignIn,
  grantConsent: (app: RegisteredApp) => void,
  nowSeconds: number,
): TokenEndpointAnswer {
  const app = findApp(authority.apps, signIn.clientId);
  if (!app)
    return entraError(
      400,
      'unauthorized_client',
      700016,
      `Application with identifier '${signIn.clientId}' was not found in the directory '${authority.tenantId}'.`,
    );
  if (authority.consentedPermissions(app).length === 0) {
    if (!signIn.consentForOrganization) return consentMissing(app);
    grantConsent(app);
  }
  const policy = authority.policyFor(signIn.oid);
  const refused = refusedByPolicy(policy === 'block' ? policy : undefined, undefined);
  if (refused) return refused;
  return userGraphToken(authority, app, nowSeconds, { oid: signIn.oid, amr: interactiveAmr(policy) }, authority.consentedPermissions(app));
}
