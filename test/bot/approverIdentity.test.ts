import { APPROVER, BOT_APP_ID, GLOBAL_ADMIN, INTUNE_ADMIN, REQUESTER, TENANT_ID } from '../../src/dev/fixtures/wellKnown';
import { LOCAL_CONNECTION, LOCAL_SSO_RESOURCE } from '../../src/dev/localDirectory';
import { ConfigError, loadConfig } from '../../src/config';
import {
  APPROVALS_CHANNEL,
  PERSONAL_APPROVER,
  PERSONAL_REQUESTER,
  approvalCardOf,
  startBotUnderTest,
  submitRequestForm,
  type BotUnderTest,
} from '../support/botUnderTest';
import { cardText, type InvokeAnswer, type TeamsUser, teamsUser } from '../support/teamsChannel';

const requester = teamsUser(REQUESTER);
const approver = teamsUser(INTUNE_ADMIN);

describe('groups created on behalf of the approving admin', () => {
  let t: BotUnderTest;
  beforeAll(async () => {
    t = await startBotUnderTest('delegated');
    await t.teams.say(approver, APPROVALS_CHANNEL, 'use this channel for approvals');
  });
  afterAll(() => t.stop());
  afterEach(() => {
    t.directory.tokens.setPolicy(approver.aadObjectId, undefined);
  });

  async function submitted(displayName: string) {
    const { id } = await submitRequestForm(t.teams, requester, PERSONAL_REQUESTER, {
      displayName,
      members: 'alexw@contoso.com',
      justification: 'delegated creation',
    });
    return { id, approval: await approvalCardOf(t.teams, id) };
  }
  const approve = (id: string, cardId: string, signIn: { token?: string; state?: string } = {}, who: TeamsUser = approver) =>
    t.teams.click(who, APPROVALS_CHANNEL, cardId, 'approveRequest', { requestId: id }, signIn);
  const ssoToken = (overrides: { oid?: string; tid?: string; audience?: string; lifetimeSeconds?: number } = {}) =>
    t.directory.tokens.issueUserToken({ oid: approver.aadObjectId, audience: LOCAL_SSO_RESOURCE, name: approver.name, ...overrides });
  const groupsNamed = async (displayName: string) =>
    (await t.directory.graph.controls.groups()).filter((g) => g.displayName === displayName);
  /** What the clicker sees: the card's text, or the message that answers instead of a card. */
  const shown = (answer: InvokeAnswer): string => (typeof answer.body.value === 'string' ? answer.body.value : cardText(answer.body.value));
  const statusOf = async (id: string) => (await t.bot.service.get(id))?.status;
  /** The sign-in link of a loginRequest answer, followed at the token service's page by the approver. */
  const signInAtPage = (answer: InvokeAnswer, person: { consentForOrganization?: boolean } = {}) =>
    t.directory.botTokens.completeSignIn(answer.body.value.buttons[0].value, { oid: approver.aadObjectId, ...person });

  it("asks Teams for silent SSO first, with the token service's sign-in link, and changes nothing", async () => {
    const { id, approval } = await submitted('Needs sign-in');
    const answer = await approve(id, approval.id);
    expect(answer.body).toMatchObject({
      statusCode: 401,
      type: 'application/vnd.microsoft.activity.loginRequest',
      value: { connectionName: LOCAL_CONNECTION, tokenExchangeResource: { uri: LOCAL_SSO_RESOURCE } },
    });
    expect(answer.body.value.buttons[0]).toMatchObject({
      type: 'signin',
      value: expect.stringMatching(new RegExp(`^${t.directory.botTokens.url}/`)),
    });
    expect(await statusOf(id)).toBe('submitted');
  });

  it("creates the group with the approver's token after silent SSO, so the directory names the approver", async () => {
    const { id, approval } = await submitted('Made by the approver');
    const answer = await approve(id, approval.id, { token: ssoToken() });
    expect(cardText(answer.body.value)).toMatch(/Approved by Lee Gu: creating the group/);
    await t.bot.settled();
    expect((await groupsNamed('Made by the approver'))[0]?.createdBy).toMatchObject({
      kind: 'user',
      oid: approver.aadObjectId,
      appId: BOT_APP_ID,
    });
    expect(await statusOf(id)).toBe('created');
  });

  it("finishes the fallback sign-in: the code from the token service's page creates the group as the approver", async () => {
    const { id, approval } = await submitted('Signed in at the page');
    const signIn = signInAtPage(await approve(id, approval.id));
    if (!signIn.ok) throw new Error(signIn.error);
    const answer = await approve(id, approval.id, { state: signIn.code });
    expect(cardText(answer.body.value)).toMatch(/Approved by Lee Gu: creating the group/);
    await t.bot.settled();
    expect((await groupsNamed('Signed in at the page'))[0]?.createdBy).toMatchObject({ kind: 'user', oid: approver.aadObjectId });
  });

  it('answers a wrong or an already used code with invalidAuthCode and changes nothing', async () => {
    const { id, approval } = await submitted('Wrong code');
    expect((await approve(id, approval.id, { state: '000000' })).body).toEqual({
      statusCode: 401,
      type: 'application/vnd.microsoft.error.invalidAuthCode',
    });
    expect(await statusOf(id)).toBe('submitted');
    const signIn = signInAtPage(await approve(id, approval.id));
    if (!signIn.ok) throw new Error(signIn.error);
    await approve(id, approval.id, { state: signIn.code });
    const next = await submitted('Code used twice');
    expect((await approve(next.id, next.approval.id, { state: signIn.code })).body).toEqual({
      statusCode: 401,
      type: 'application/vnd.microsoft.error.invalidAuthCode',
    });
    expect(await statusOf(next.id)).toBe('submitted');
  });

  it('sends the approver to the page when Conditional Access wants MFA, never reusing the refused token, then creates', async () => {
    const { id, approval } = await submitted('Behind MFA');
    t.directory.tokens.setPolicy(approver.aadObjectId, 'mfa');
    const refused = await approve(id, approval.id, { token: ssoToken() });
    expect(refused.body).toMatchObject({ statusCode: 401, type: 'application/vnd.microsoft.activity.loginRequest' });
    expect(refused.body.value).not.toHaveProperty('tokenExchangeResource');
    expect(await statusOf(id)).toBe('submitted');
    const signIn = signInAtPage(refused);
    if (!signIn.ok) throw new Error(signIn.error);
    await approve(id, approval.id, { state: signIn.code });
    await t.bot.settled();
    expect(await statusOf(id)).toBe('created');
    expect(await groupsNamed('Behind MFA')).toHaveLength(1);
  });

  it('changes nothing when Conditional Access blocks the approver, at silent SSO and at the page alike', async () => {
    const { id, approval } = await submitted('Blocked');
    t.directory.tokens.setPolicy(approver.aadObjectId, 'block');
    const refused = await approve(id, approval.id, { token: ssoToken() });
    expect(refused.body.value).not.toHaveProperty('tokenExchangeResource');
    expect(signInAtPage(refused)).toMatchObject({ ok: false, error: expect.stringMatching(/AADSTS53003/) });
    expect(await statusOf(id)).toBe('submitted');
  });

  it('lets an admin give the missing consent at the page, then creates', async () => {
    const { id, approval } = await submitted('Needs consent');
    t.directory.tokens.withdrawConsent(BOT_APP_ID);
    const refused = await approve(id, approval.id, { token: ssoToken() });
    expect(refused.body).toMatchObject({ statusCode: 401, type: 'application/vnd.microsoft.activity.loginRequest' });
    expect(refused.body.value).not.toHaveProperty('tokenExchangeResource');
    expect(signInAtPage(refused)).toMatchObject({ ok: false, error: expect.stringMatching(/AADSTS65001/) });
    const consented = signInAtPage(await approve(id, approval.id, { token: ssoToken() }), { consentForOrganization: true });
    if (!consented.ok) throw new Error(consented.error);
    await approve(id, approval.id, { state: consented.code });
    await t.bot.settled();
    expect(await statusOf(id)).toBe('created');
  });

  it.each([
    ['another user', { oid: APPROVER.id }, /another account/],
    ['another tenant', { tid: '6a0e4f2c-9b1d-4e3a-8c7f-5d2b1a0e9c84' }, /another Microsoft Entra tenant/],
    ['another application', { audience: 'api://localhost/botid-00000000-0000-4000-8000-000000000001' }, /issued for another application/],
  ])('refuses an SSO token for %s, in words, and changes nothing', async (_case, overrides, words) => {
    const { id, approval } = await submitted(`Token for ${_case}`);
    const answer = await approve(id, approval.id, { token: ssoToken(overrides) });
    expect(shown(answer)).toMatch(words);
    expect(await statusOf(id)).toBe('submitted');
  });

  it('tells a non-approver and the requester they may not decide, without sending them to sign in', async () => {
    const { id, approval } = await submitted('Not theirs to decide');
    const outsider = await approve(id, approval.id, {}, { aadObjectId: GLOBAL_ADMIN.id, name: GLOBAL_ADMIN.displayName });
    expect(outsider.body.type).not.toBe('application/vnd.microsoft.activity.loginRequest');
    expect(shown(outsider)).toMatch(/Only members of the group-request approvers group/);
    expect(await statusOf(id)).toBe('submitted');
  });

  it('knows an approver who asked for a group as its requester, whatever the case of their object id', async () => {
    const { id } = await submitRequestForm(t.teams, approver, PERSONAL_APPROVER, {
      displayName: 'Asked by an approver',
      members: 'alexw@contoso.com',
      justification: 'own request',
    });
    const approval = await approvalCardOf(t.teams, id);
    const own = await approve(id, approval.id, {}, { aadObjectId: approver.aadObjectId.toUpperCase(), name: approver.name });
    expect(own.body.type).not.toBe('application/vnd.microsoft.activity.loginRequest');
    expect(shown(own)).toMatch(/You asked for this group/);
    expect(await statusOf(id)).toBe('submitted');
  });

  it('tells a later approver the request is already decided, without sending them to sign in', async () => {
    const { id, approval } = await submitted('Decided already');
    await approve(id, approval.id, { token: ssoToken() });
    await t.bot.settled();
    const late = await approve(id, approval.id, {}, { aadObjectId: APPROVER.id, name: APPROVER.displayName });
    expect(late.body.type).not.toBe('application/vnd.microsoft.activity.loginRequest');
    expect(shown(late)).toMatch(/already created/);
  });
});

/** A delegated bot of its own with one request waiting in the approvals channel, for tests that break its surroundings. */
async function withApprovalWaiting(test: (t: BotUnderTest, id: string, approvalCardId: string) => Promise<void>): Promise<void> {
  const t = await startBotUnderTest('delegated');
  try {
    await t.teams.say(approver, APPROVALS_CHANNEL, 'use this channel for approvals');
    const { id } = await submitRequestForm(t.teams, requester, PERSONAL_REQUESTER, {
      displayName: 'Waiting for approval',
      members: 'alexw@contoso.com',
      justification: 'x',
    });
    await test(t, id, (await approvalCardOf(t.teams, id)).id);
  } finally {
    await t.stop();
  }
}

describe('sign-in settings', () => {
  const delegated = (env: Record<string, string>) => ({
    TENANT_ID,
    APPROVERS_GROUP_ID: TENANT_ID,
    GRAPH_AUTH_MODE: 'delegated',
    GRAPH_CLIENT_ID: BOT_APP_ID,
    GRAPH_CLIENT_SECRET: 's',
    BOT_ID: BOT_APP_ID,
    BOT_PASSWORD: 's',
    SSO_CONNECTION_NAME: 'graph-sso',
    SSO_RESOURCE_URI: `api://bot.contoso.com/botid-${BOT_APP_ID}`,
    ...env,
  });
  const OTHER_APP = '00000000-0000-4000-8000-000000000001';

  it('stop the bot at start unless the bot, its Teams SSO and Graph are one app registration', () => {
    expect(() => loadConfig(delegated({ BOT_ID: OTHER_APP }))).toThrow(
      /GRAPH_CLIENT_ID is .* but BOT_ID is 00000000-0000-4000-8000-000000000001: in delegated mode the bot, its Teams SSO .* and Graph use one app registration/,
    );
    expect(() => loadConfig(delegated({ SSO_RESOURCE_URI: `api://bot.contoso.com/botid-${OTHER_APP}` }))).toThrow(
      /SSO_RESOURCE_URI is .* must be the Application ID URI of app/,
    );
    expect(() => loadConfig(delegated({ SSO_CONNECTION_NAME: '' }))).toThrow(/SSO_CONNECTION_NAME is required/);
    expect(() => loadConfig(delegated({ SSO_SIGN_IN_URL: 'not a link' }))).toThrow(/SSO_SIGN_IN_URL/);
    expect(loadConfig(delegated({ BOT_ID: BOT_APP_ID.toUpperCase() })).GRAPH_AUTH_MODE).toBe('delegated');
  });

  it('stop the bot at start when the token service knows no OAuth connection of that name, naming the setting', async () => {
    await expect(startBotUnderTest('delegated', { SSO_CONNECTION_NAME: 'graph-sso' })).rejects.toThrow(
      /SSO_CONNECTION_NAME is graph-sso, but the Bot Framework token service knows no such connection of this bot \(its connections are local\)/,
    );
  });

  it('never send a sign-in request with an empty link when the OAuth connection goes missing: the approver is told what an admin must set', () =>
    withApprovalWaiting(async (t, id, cardId) => {
      t.directory.botTokens.removeConnection(LOCAL_CONNECTION);
      const answer = await t.teams.click(approver, APPROVALS_CHANNEL, cardId, 'approveRequest', { requestId: id });
      expect(answer.body.type).not.toBe('application/vnd.microsoft.activity.loginRequest');
      expect(cardText(answer.body.value)).toMatch(
        /OAuth connection "local" did not give a sign-in link[\s\S]*SSO_CONNECTION_NAME[\s\S]*SSO_SIGN_IN_URL/,
      );
      expect((await t.bot.service.get(id))?.status).toBe('submitted');
    }));
});

describe('a token service that cannot be reached', () => {
  it('answers a sign-in code with preconditionFailed, in words, and changes nothing', () =>
    withApprovalWaiting(async (t, id, cardId) => {
      await t.directory.botTokens.stop();
      const answer = await t.teams.click(approver, APPROVALS_CHANNEL, cardId, 'approveRequest', { requestId: id }, { state: '123456' });
      expect(answer.body).toMatchObject({
        statusCode: 412,
        type: 'application/vnd.microsoft.error.preconditionFailed',
        value: { code: '412', message: expect.stringMatching(/could not be checked with the Bot Framework token service/) },
      });
      expect((await t.bot.service.get(id))?.status).toBe('submitted');
    }));
});

describe('incoming activities', () => {
  describe('from outside Teams or with a doubtful sender', () => {
    let t: BotUnderTest;
    beforeAll(async () => {
      t = await startBotUnderTest('app');
    });
    afterAll(() => t.stop());

    const replyTo = async (fields: object) =>
      (await t.teams.say(requester, PERSONAL_REQUESTER, 'new group', fields))
        .map((a) => a.text ?? cardText(a.attachments?.[0]?.content))
        .join('\n');

    it('are refused from a channel other than Teams', async () => {
      expect(await replyTo({ channelId: 'webchat' })).toMatch(/works in Microsoft Teams only, not in webchat/);
    });

    it('are refused when the channel data and the conversation name different tenants', async () => {
      const reply = await replyTo({
        conversation: { id: PERSONAL_REQUESTER.id, conversationType: 'personal', tenantId: '6a0e4f2c-9b1d-4e3a-8c7f-5d2b1a0e9c84' },
      });
      expect(reply).toMatch(/names two different tenants/);
    });

    it('are refused when the sender has no Entra object id that is a GUID', async () => {
      const reply = await replyTo({ from: { id: '29:someone', name: 'Someone', aadObjectId: 'not-a-guid' } });
      expect(reply).toMatch(/did not say who you are/);
    });

    it('know a person whatever the case of their object id: an upper-cased id sees the same requests', async () => {
      const { id } = await submitRequestForm(t.teams, requester, PERSONAL_REQUESTER, {
        displayName: 'Case of the id',
        members: 'alexw@contoso.com',
        justification: 'case',
      });
      const [mine] = await t.teams.say(
        { ...requester, aadObjectId: requester.aadObjectId.toUpperCase() },
        PERSONAL_REQUESTER,
        'my requests',
      );
      expect(mine.text ?? cardText(mine.attachments?.[0]?.content)).toContain(id);
    });
  });

  it('are authenticated once the bot has an app id: a request without a Bot Framework token gets 401', async () => {
    const t = await startBotUnderTest('app', { BOT_ID: BOT_APP_ID, BOT_PASSWORD: 'secret', BOT_TYPE: 'SingleTenant' });
    try {
      const said = await fetch(`${t.bot.url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          type: 'message',
          text: 'new group',
          channelId: 'msteams',
          serviceUrl: t.teams.serviceUrl,
          from: { id: 'x', aadObjectId: REQUESTER.id },
          conversation: { id: 'c', tenantId: TENANT_ID },
          recipient: { id: 'bot' },
        }),
      });
      expect(said.status).toBe(401);
      expect(t.teams.sent).toHaveLength(0);
    } finally {
      await t.stop();
    }
  });

  it('without an app id, are only listened for on loopback', () => {
    const base = { TENANT_ID, APPROVERS_GROUP_ID: TENANT_ID, GRAPH_AUTH_MODE: 'app' };
    expect(() => loadConfig({ ...base, HOST: '0.0.0.0' })).toThrow(ConfigError);
    expect(() => loadConfig({ ...base, HOST: '0.0.0.0' })).toThrow(/listens on loopback only/);
    expect(loadConfig({ ...base, HOST: '127.0.0.1' }).HOST).toBe('127.0.0.1');
  });
});
