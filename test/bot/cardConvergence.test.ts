import { APPROVER, GLOBAL_ADMIN, REQUESTER } from '../../src/dev/fixtures/wellKnown';
import {
  APPROVALS_CHANNEL,
  PERSONAL_REQUESTER,
  approvalCardOf,
  startBotUnderTest,
  submitRequestForm,
  type BotUnderTest,
} from '../support/botUnderTest';
import { answerText, cardText, teamsUser } from '../support/teamsChannel';

const requester = teamsUser(REQUESTER);
const approver = teamsUser(APPROVER);
const outsider = teamsUser(GLOBAL_ADMIN);

let t: BotUnderTest;
beforeAll(async () => {
  t = await startBotUnderTest('app', { DECISION_ANSWER_WITHIN_MS: '1000' });
  await t.teams.say(approver, APPROVALS_CHANNEL, 'use this channel for approvals');
});
afterAll(() => t.stop());

describe('cards converge to the request as it stands, whatever order Teams delivers things in', () => {
  it("brings the clicker's card to Created when the click's answer reaches their client after the edits", async () => {
    const { id } = await submitRequestForm(t.teams, requester, PERSONAL_REQUESTER, {
      displayName: 'Out of order',
      members: 'alexw@contoso.com',
      justification: 'x',
    });
    const approval = await approvalCardOf(t.teams, id);

    // Graph is slow, so the click is answered "working" while the approval goes on.
    await t.directory.graph.controls.setLatency(3000);
    const { answer, show } = await t.teams.clickHeld(approver, APPROVALS_CHANNEL, approval.id, 'approveRequest', { requestId: id });
    await t.directory.graph.controls.setLatency(0);
    expect(cardText(answer.body.value)).toMatch(/Working on it/);
    await t.bot.settled();
    expect(cardText(t.teams.latest(approval.id)?.attachments?.[0].content)).toMatch(/Created, approved by Adele Vance/);

    // The answer arrives last: the clicker's client shows the older card, everyone else the edit.
    show();
    expect(cardText(t.teams.shownTo(approver, approval.id))).toMatch(/Working on it/);
    expect(cardText(t.teams.shownTo(requester, approval.id))).toMatch(/Created/);

    // As soon as they look at it, Teams refreshes it for them, and it shows the current state.
    expect(cardText(await t.teams.view(approver, APPROVALS_CHANNEL, approval.id))).toMatch(/Created, approved by Adele Vance/);
  });

  it('edits the clicked message once the answer has gone out, so every viewer ends on the same card', async () => {
    const { id } = await submitRequestForm(t.teams, requester, PERSONAL_REQUESTER, {
      displayName: 'Everyone sees it',
      members: 'alexw@contoso.com',
      justification: 'x',
    });
    const approval = await approvalCardOf(t.teams, id);
    await t.teams.click(approver, APPROVALS_CHANNEL, approval.id, 'rejectRequest', { requestId: id, rejectReason: 'Not now' });
    await t.bot.settled();
    for (const viewer of [approver, requester, outsider])
      expect(cardText(t.teams.shownTo(viewer, approval.id))).toMatch(/Rejected by Adele Vance/);
  });

  it('refuses a refresh for a request the viewer may not see, and gives the channel card without buttons on the card posted there', async () => {
    const { id } = await submitRequestForm(t.teams, requester, PERSONAL_REQUESTER, {
      displayName: 'Not for everyone',
      members: 'alexw@contoso.com',
      justification: 'x',
    });
    const approval = await approvalCardOf(t.teams, id);
    const elsewhere = { id: 'a:personal-outsider', conversationType: 'personal' } as const;
    const named = await t.teams.click(outsider, elsewhere, 'some-other-message', 'refreshCard', { requestId: id, card: 'approval' });
    expect(JSON.stringify(named.body)).not.toContain('Not for everyone');
    const onPosted = await t.teams.click(outsider, APPROVALS_CHANNEL, approval.id, 'refreshCard', { requestId: id, card: 'approval' });
    expect(answerText(onPosted)).toMatch(/Not for everyone/);
    expect(answerText(onPosted)).not.toMatch(/\[Approve\]/);
  });
});
