import { APPROVER, REQUESTER } from '../../src/dev/fixtures/wellKnown';
import { APPROVALS_CHANNEL, approvalCardOf, startBotUnderTest, submitRequestForm, until, type BotUnderTest } from '../support/botUnderTest';
import type { Conversation } from '../support/teamsChannel';
import { teamsUser } from '../support/teamsChannel';

const requester = teamsUser(REQUESTER);
const approver = teamsUser(APPROVER);
const GROUP_CHAT: Conversation = { id: '19:team-chat@thread.v2', conversationType: 'groupChat' };

let t: BotUnderTest;
beforeAll(async () => {
  t = await startBotUnderTest('app');
  await t.teams.say(approver, APPROVALS_CHANNEL, 'use this channel for approvals');
});
afterAll(() => t.stop());

describe('a requester in a group chat without the app installed for themselves', () => {
  it('is told of the decision in the group chat the request came from', async () => {
    t.teams.withoutPersonalApp.add(REQUESTER.id);
    const { id } = await submitRequestForm(t.teams, requester, GROUP_CHAT, {
      displayName: 'Chat group',
      members: 'alexw@contoso.com',
      justification: 'x',
    });
    const approval = await approvalCardOf(t.teams, id);
    await t.teams.click(approver, APPROVALS_CHANNEL, approval.id, 'rejectRequest', { requestId: id, rejectReason: 'Not now' });
    await until('the notice in the group chat', () =>
      t.teams.sent.find((a) => a.conversationId === GROUP_CHAT.id && /was rejected by Adele Vance\. Reason: Not now/.test(a.text ?? '')),
    );
    expect(t.teams.opened).toEqual([]);
    await t.bot.settled();
  });
});
