import type { EntraTokenService } from '../../src/dev/entraTokenService';
import { APPROVER, BOT_APP_ID, TENANT_ID } from '../../src/dev/fixtures/wellKnown';
import { type AppSecretSettings, type DelegatedSettings, GRAPH_SCOPES, createGraphCredentials } from '../../src/graph/credentials';
import { DirectoryError } from '../../src/requests/directory';
import { BOT_SECRET, SSO_AUDIENCE, startLocalAuthority, tamperedWith } from './localAuthority';

const UNCONSENTED_APP = { clientId: '3c1f8e52-6a3b-4d7e-8f90-1a2b3c4d5e6f', clientSecret: 'unconsented-secret', delegatedPermissions: [] };

let authority: EntraTokenService;
beforeAll(async () => {
  authority = await startLocalAuthority([UNCONSENTED_APP]);
});
afterAll(() => authority.stop());

function settings(
  overrides: Partial<{ mode: 'delegated' | 'app'; tenantId: string; clientId: string; clientSecret: string }> = {},
): DelegatedSettings | AppSecretSettings {
  return {
    mode: 'delegated',
    tenantId: TENANT_ID,
    clientId: BOT_APP_ID,
    clientSecret: BOT_SECRET,
    authorityHost: authority.authorityHost,
    authorityCaPem: authority.caCertPem,
    ...overrides,
  };
}
const approverSso = (lifetimeSeconds?: number): string =>
  authority.issueUserToken({ oid: APPROVER.id, audience: SSO_AUDIENCE, lifetimeSeconds });

async function failureOf(promise: Promise<unknown>): Promise<DirectoryError> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(DirectoryError);
  return error as DirectoryError;
}

/** The approver's access from their SSO token, exchanged at once, as when they click. */
const signedIn = (credentials: ReturnType<typeof createGraphCredentials>, sso: string) => credentials.approverSignIn!.exchange(sso);

describe('Graph credentials in delegated mode', () => {
  test('creates groups as the approving admin: the token from Teams SSO becomes a Graph token for them', async () => {
    const credentials = createGraphCredentials(settings());
    expect(credentials.needsApproverToken).toBe(true);
    const token = await credentials.forApprover(await signedIn(credentials, approverSso())).getToken(GRAPH_SCOPES);
    expect(authority.authenticateCaller(`Bearer ${token?.token}`)).toEqual({
      oid: APPROVER.id,
      appId: BOT_APP_ID,
      tenantId: TENANT_ID,
      kind: 'user',
    });
  });

  test('makes one exchange for all the Graph calls of an approval, concurrent ones included', async () => {
    const credentials = createGraphCredentials(settings());
    const approver = credentials.forApprover(await signedIn(credentials, approverSso()));
    const [first, second] = await Promise.all([approver.getToken(GRAPH_SCOPES), approver.getToken(GRAPH_SCOPES)]);
    const later = await approver.getToken(GRAPH_SCOPES);
    // Every exchange issues a token with its own id (uti), so equal tokens mean one exchange.
    expect(second?.token).toBe(first?.token);
    expect(later?.token).toBe(first?.token);
  });

  test('reads the directory as the bot itself', async () => {
    const token = await createGraphCredentials(settings()).app.getToken(GRAPH_SCOPES);
    expect(authority.authenticateCaller(`Bearer ${token?.token}`)).toEqual({ appId: BOT_APP_ID, tenantId: TENANT_ID, kind: 'app' });
  });

  test('uses a Graph token the token service handed over while it is valid, and asks for a new sign-in once it lapsed', async () => {
    const credentials = createGraphCredentials(settings());
    const valid = credentials.approverSignIn!.fromToken('graph-token', Date.now() + 60_000);
    expect((await credentials.forApprover(valid).getToken(GRAPH_SCOPES))?.token).toBe('graph-token');
    const lapsed = credentials.approverSignIn!.fromToken('graph-token', Date.now() - 1);
    expect(await failureOf(credentials.forApprover(lapsed).getToken(GRAPH_SCOPES))).toMatchObject({
      code: 'sign_in_required',
      message: expect.stringMatching(/Click Retry creation and sign in again/),
    });
  });

  test('asks the approver to sign in when Teams sent no token', () => {
    const credentials = createGraphCredentials(settings());
    expect(() => credentials.forApprover(undefined)).toThrow(
      expect.objectContaining({
        code: 'sign_in_required',
        message: expect.stringMatching(/An approver must click Retry creation and sign in when Teams asks/),
      }),
    );
  });

  test('asks the approver to sign in again when their SSO token has expired', async () => {
    const error = await failureOf(signedIn(createGraphCredentials(settings()), approverSso(-300)));
    expect(error).toMatchObject({ code: 'sign_in_required', transient: false });
    expect(error.message).toMatch(
      /could not be used to create the group on your behalf \(it has expired\)\. Sign in again, then approve \(or retry\) again\./,
    );
  });

  test('asks the approver to sign in again when their SSO token was tampered with', async () => {
    const forged = tamperedWith(approverSso(), { oid: '0acb2c72-0110-4538-8b07-4b498f17e9ea' });
    const error = await failureOf(signedIn(createGraphCredentials(settings()), forged));
    expect(error.code).toBe('sign_in_required');
    expect(error.message).toMatch(/did not accept it: AADSTS50013: Assertion failed signature validation\./);
    expect(error.message).not.toMatch(/Trace ID|Correlation ID/);
  });

  test("tells the approver the admin has not consented to the bot's Graph permissions", async () => {
    const unconsented = createGraphCredentials(settings(UNCONSENTED_APP));
    const sso = authority.issueUserToken({ oid: APPROVER.id, audience: UNCONSENTED_APP.clientId });
    const error = await failureOf(signedIn(unconsented, sso));
    expect(error).toMatchObject({ code: 'consent_required', transient: false });
    expect(error.message).toMatch(/^The admin has not consented to the bot's Graph permissions/);
    expect(error.message).toContain('Grant admin consent');
  });

  test("names the bot's client secret when Entra rejects it", async () => {
    const error = await failureOf(signedIn(createGraphCredentials(settings({ clientSecret: 'rotated-away' })), approverSso()));
    expect(error).toMatchObject({ code: 'invalid_client_secret', transient: false });
    expect(error.message).toMatch(
      new RegExp(`rejected the client secret of app ${BOT_APP_ID} \\(AADSTS7000215: Invalid client secret provided`),
    );
  });

  test('names the client id and tenant when the app is not registered there', async () => {
    const error = await failureOf(
      createGraphCredentials(settings({ clientId: 'a0a0a0a0-0000-4000-8000-000000000000' })).app.getToken(GRAPH_SCOPES),
    );
    expect(error.code).toBe('app_not_found');
    expect(error.message).toMatch(`app a0a0a0a0-0000-4000-8000-000000000000 is not registered in tenant ${TENANT_ID}`);
  });

  test('points at the tenant id and the authority when the tenant cannot be found', async () => {
    const error = await failureOf(
      createGraphCredentials(settings({ tenantId: '00000000-0000-4000-8000-00000000dead' })).app.getToken(GRAPH_SCOPES),
    );
    expect(error).toMatchObject({ code: 'authority_unreachable', transient: true });
    expect(error.message).toContain(
      `${authority.authorityHost}/00000000-0000-4000-8000-00000000dead/v2.0/.well-known/openid-configuration`,
    );
  });

  test('refuses an authority that is not https, as the sign-in library would', () => {
    expect(() => createGraphCredentials({ ...settings(), authorityHost: 'http://127.0.0.1:1' })).toThrow(/must be an https:\/\/ address/);
  });
});

describe('Graph credentials in app-only mode', () => {
  test('creates groups as the bot, with no approver sign-in needed', async () => {
    const credentials = createGraphCredentials(settings({ mode: 'app' }));
    expect(credentials.needsApproverToken).toBe(false);
    const token = await credentials.forApprover(undefined).getToken(GRAPH_SCOPES);
    expect(authority.authenticateCaller(`Bearer ${token?.token}`)).toEqual({ appId: BOT_APP_ID, tenantId: TENANT_ID, kind: 'app' });
  });
});
