import { MicrosoftAppCredentials } from 'botframework-connector';
import { UserTokenClientImpl } from 'botframework-connector/lib/auth/userTokenClientImpl';
import type { Activity } from 'botbuilder';
import { OnBehalfOfCredential } from '@azure/identity';
import { startBotTokenService, type BotTokenService } from '../../src/dev/botTokenService';
import type { EntraTokenService } from '../../src/dev/entraTokenService';
import { APPROVER, BOT_APP_ID, INTUNE_ADMIN, TENANT_ID } from '../../src/dev/fixtures/wellKnown';
import { BOT_SECRET, SSO_AUDIENCE, claimsOf, localAuthorityOptions, startLocalAuthority } from './localAuthority';

const CONNECTION = 'graph-sso';
const TEAMS_USER_ID = '29:approver';

let authority: EntraTokenService;
let service: BotTokenService;
/** botbuilder's own token service client, as a bot without Bot Framework credentials makes it. */
let client: UserTokenClientImpl;

beforeAll(async () => {
  authority = await startLocalAuthority();
  service = await startBotTokenService({
    connections: [
      { name: CONNECTION, botAppId: BOT_APP_ID, clientId: BOT_APP_ID, clientSecret: BOT_SECRET, tokenExchangeUrl: SSO_AUDIENCE },
    ],
    entra: authority,
    signInAtEntra: (signIn) => authority.signInInteractively(signIn),
  });
  client = new UserTokenClientImpl(BOT_APP_ID, MicrosoftAppCredentials.Empty, service.url);
});
afterAll(async () => {
  await service.stop();
  await authority.stop();
});
afterEach(() => authority.setPolicy(APPROVER.id, undefined));

/** The card action a sign-in is asked for: the token service learns from it who signs in. */
const clickBy = (userId: string) =>
  ({
    type: 'invoke',
    id: 'activity-1',
    channelId: 'msteams',
    serviceUrl: 'https://smba.example/',
    from: { id: userId, aadObjectId: APPROVER.id },
    recipient: { id: `28:${BOT_APP_ID}` },
    conversation: { id: '19:approvals@thread.tacv2' },
  }) as Activity;

async function signedInCode(userId = TEAMS_USER_ID, person: { consentForOrganization?: boolean } = {}): Promise<string> {
  const resource = await client.getSignInResource(CONNECTION, clickBy(userId), '');
  const outcome = service.completeSignIn(resource.signInLink as string, { oid: APPROVER.id, ...person });
  if (!outcome.ok) throw new Error(outcome.error);
  return outcome.code;
}

describe("the local Bot Framework token service with botbuilder's client", () => {
  test('hands out a sign-in link and the token exchange resource of the connection', async () => {
    const resource = await client.getSignInResource(CONNECTION, clickBy(TEAMS_USER_ID), '');
    expect(resource.signInLink).toMatch(new RegExp(`^${service.url}/api/oauth/signin\\?signin=`));
    expect(resource.tokenExchangeResource).toMatchObject({ uri: SSO_AUDIENCE, id: expect.any(String) });
  });

  test('refuses a connection the bot does not have', async () => {
    await expect(client.getSignInResource('no-such-connection', clickBy(TEAMS_USER_ID), '')).rejects.toThrow(
      /no OAuth connection named 'no-such-connection'/,
    );
  });

  test('redeems the code of a sign-in once, for the Teams user who signed in, as a Graph token naming them, then holds that token', async () => {
    const code = await signedInCode();
    expect((await client.getUserToken('29:someone-else', CONNECTION, 'msteams', code))?.token).toBeUndefined();
    const fresh = await signedInCode();
    const response = await client.getUserToken(TEAMS_USER_ID, CONNECTION, 'msteams', fresh);
    expect(claimsOf(response.token as string)).toMatchObject({ aud: 'https://graph.microsoft.com', oid: APPROVER.id, tid: TENANT_ID });
    expect((await client.getUserToken(TEAMS_USER_ID, CONNECTION, 'msteams', fresh))?.token).toBeUndefined();
    expect((await client.getUserToken(TEAMS_USER_ID, CONNECTION, 'msteams', undefined as unknown as string))?.token).toBe(response.token);
    expect((await client.getUserToken(TEAMS_USER_ID, CONNECTION, 'msteams', '123456'))?.token).toBeUndefined();
  });

  test("exchanges a Teams SSO token for the connection's Graph token, and refuses an expired one", async () => {
    const sso = authority.issueUserToken({ oid: INTUNE_ADMIN.id, audience: SSO_AUDIENCE });
    const exchanged = await client.exchangeToken('29:lee', CONNECTION, 'msteams', { uri: SSO_AUDIENCE, token: sso });
    expect(claimsOf(exchanged.token as string)).toMatchObject({ aud: 'https://graph.microsoft.com', oid: INTUNE_ADMIN.id });
    const expired = authority.issueUserToken({ oid: INTUNE_ADMIN.id, audience: SSO_AUDIENCE, lifetimeSeconds: -300 });
    // botbuilder hands a 400 back as the ErrorResponse it declares, not as an exception.
    const refused = await client.exchangeToken('29:lee', CONNECTION, 'msteams', { uri: SSO_AUDIENCE, token: expired });
    expect(refused).toMatchObject({ error: { code: 'invalid_grant', message: expect.stringMatching(/AADSTS500133/) } });
    expect(refused.token).toBeUndefined();
  });
});

describe('Conditional Access and consent at the local Entra', () => {
  const onBehalfOf = (assertion: string) =>
    new OnBehalfOfCredential({
      tenantId: TENANT_ID,
      clientId: BOT_APP_ID,
      clientSecret: BOT_SECRET,
      userAssertionToken: assertion,
      ...localAuthorityOptions(authority),
    });
  const sso = () => authority.issueUserToken({ oid: APPROVER.id, audience: SSO_AUDIENCE });

  test('asks for multi-factor authentication on behalf-of a silent SSO token, which the sign-in page satisfies', async () => {
    authority.setPolicy(APPROVER.id, 'mfa');
    await expect(onBehalfOf(sso()).getToken('https://graph.microsoft.com/.default')).rejects.toThrow(/interaction_required.*AADSTS50076/s);
    const code = await signedInCode('29:mfa');
    const token = (await client.getUserToken('29:mfa', CONNECTION, 'msteams', code)).token as string;
    expect(claimsOf(token).amr).toEqual(['pwd', 'mfa']);
  });

  test('blocks a user a policy blocks, at the sign-in page too', async () => {
    authority.setPolicy(APPROVER.id, 'block');
    await expect(onBehalfOf(sso()).getToken('https://graph.microsoft.com/.default')).rejects.toThrow(/AADSTS53003/);
    await expect(signedInCode('29:blocked')).rejects.toThrow(/AADSTS53003/);
  });

  test('answers consent_required once consent is withdrawn, until an admin consents for the organisation at the page', async () => {
    authority.withdrawConsent(BOT_APP_ID);
    await expect(onBehalfOf(sso()).getToken('https://graph.microsoft.com/.default')).rejects.toThrow(/AADSTS65001/);
    await expect(signedInCode('29:consent')).rejects.toThrow(/AADSTS65001/);
    await signedInCode('29:consent', { consentForOrganization: true });
    expect((await onBehalfOf(sso()).getToken('https://graph.microsoft.com/.default')).token).toBeTruthy();
  });
});
