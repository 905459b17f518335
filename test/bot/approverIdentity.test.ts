import { BOT_APP_ID, INTUNE_ADMIN, REQUESTER, TENANT_ID } from '../../src/dev/fixtures/wellKnown';
import { LOCAL_SSO_RESOURCE } from '../../src/dev/localDirectory';
import { ConfigError, loadConfig } from '../../src/config';
import { APPROVALS_CHANNEL, PERSONAL_REQUESTER, approvalCardOf, startBotUnderTest, submitRequestForm, type BotUnderTest } from '../support/botUnderTest';
import { cardText } from '../support/teamsChannel';

const requester = { aadObjectId: REQUESTER.id, name: REQUESTER.displayName };
const approver = { aadObjectId: INTUNE_ADMIN.id, name: INTUNE_ADMIN.displayName };

describe('groups created on behalf of the approving admin', () => {
  let t: BotUnderTest;
  beforeAll(async () => {
    t = await startBotUnderTest('delegated');
    await t.teams.say(approver, APPROVALS_CHANNEL, 'use this channel for approvals');
  });
  afterAll(() => t.stop());

  async function submitted(displayName: string) {
    const { id } = await submitRequestForm(t.teams, requester, PERSONAL_REQUESTER, {
      displayName, members: 'alexw@contoso.com', justification: 'delegated creation',
    });
    return { id, approval: await approvalCardOf(t.teams, id) };
  }

  it('asks Teams to sign the approver in when the click carries no token, and changes nothing', async () => {
    const { id, approval } = await submitted('Needs sign-in');
    const answer = await t.teams.click(approver, APPROVALS_CHANNEL, approval.id, 'approveRequest', { requestId: id });
    expect(answer.body).toMatchObject({
      statusCode: 401,
      type: 'application/vnd.microsoft.activity.loginRequest',
      value: { connectionName: 'local', tokenExchangeResource: { uri: LOCAL_SSO_RESOURCE } },
    });
    expect((await t.bot.service.get(id))?.status).toBe('submitted');
  });

  it("creates the group with the approver's token, so the directory names the approver, not the app or the requester", async () => {
    const { id, approval } = await submitted('Made by the approver');
    const token = t.directory.tokens.issueUserToken({ oid: approver.aadObjectId, audience: LOCAL_SSO_RESOURCE, name: approver.name });
    const answer = await t.teams.click(approver, APPROVALS_CHANNEL, approval.id, 'approveRequest', { requestId: id }, { token });
    expect(cardText(answer.body.value)).toMatch(/Approved by Lee Gu: creating the group/);
    await t.bot.settled();
    const group = (await t.directory.graph.controls.groups()).find((g) => g.displayName === 'Made by the approver');
    expect(group?.createdBy).toMatchObject({ kind: 'user', oid: approver.aadObjectId, appId: BOT_APP_ID });
    expect((await t.bot.service.get(id))?.status).toBe('created');
  });

  it('fails with words an admin understands when the token cannot be exchanged, and offers Retry', async () => {
    const { id, approval } = await submitted('Expired token');
    const expired = t.directory.tokens.issueUserToken({ oid: approver.aadObjectId, audience: LOCAL_SSO_RESOURCE, lifetimeSeconds: -60 });
    await t.teams.click(approver, APPROVALS_CHANNEL, approval.id, 'approveRequest', { requestId: id }, { token: expired });
    await t.bot.settled();
    const request = await t.bot.service.get(id);
    expect(request?.status).toBe('failed');
    expect(request?.failure?.message).toMatch(/sign in/i);
    const card = cardText(t.teams.latest(approval.id)?.attachments?.[0].content);
    expect(card).toMatch(/Creation failed[\s\S]*\[Retry creation\]/);
    const token = t.directory.tokens.issueUserToken({ oid: approver.aadObjectId, audience: LOCAL_SSO_RESOURCE });
    await t.teams.click(approver, APPROVALS_CHANNEL, approval.id, 'retryRequest', { requestId: id }, { token });
    await t.bot.settled();
    expect((await t.bot.service.get(id))?.status).toBe('created');
    expect((await t.directory.graph.controls.groups()).filter((g) => g.displayName === 'Expired token')).toHaveLength(1);
  });
});

describe('incoming activities', () => {
  it('are authenticated once the bot has an app id: a request without a Bot Framework token gets 401', async () => {
    const t = await startBotUnderTest('app', { BOT_ID: BOT_APP_ID, BOT_PASSWORD: 'secret', BOT_TYPE: 'SingleTenant' });
    try {
      const said = await fetch(`${t.bot.url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ type: 'message', text: 'new group', channelId: 'msteams', serviceUrl: t.teams.serviceUrl, from: { id: 'x', aadObjectId: REQUESTER.id }, conversation: { id: 'c', tenantId: TENANT_ID }, recipient: { id: 'bot' } }),
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
