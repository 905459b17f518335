import { APPROVER, GLOBAL_ADMIN, REQUESTER } from '../../src/dev/fixtures/wellKnown';
import {
  APPROVALS_CHANNEL,
  PERSONAL_REQUESTER,
  approvalCardOf,
  startBotUnderTest,
  submitRequestForm,
  type BotUnderTest,
} from '../support/botUnderTest';
import { actionData, answerText, cardText, teamsUser } from '../support/teamsChannel';

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

  it('answers a click from a card older than the request with the current card, and does nothing', async () => {
    const { id } = await submitRequestForm(t.teams, requester, PERSONAL_REQUESTER, {
      displayName: 'Clicked too late',
      members: 'alexw@contoso.com',
      justification: 'x',
    });
    const approval = await approvalCardOf(t.teams, id);
    // The approver's own card, with the buttons, as Teams refreshes it for them.
    const drawn = await t.teams.view(approver, APPROVALS_CHANNEL, approval.id);
    expect(actionData(drawn, 'approveRequest')).toEqual({ requestId: id, version: (await t.bot.service.get(id))?.version });
    await t.teams.click(approver, APPROVALS_CHANNEL, approval.id, 'approveRequest', actionData(drawn, 'approveRequest'));
    await t.bot.settled();

    // A second device still shows the card as first drawn: Reject there changes nothing.
    const late = await t.teams.click(approver, APPROVALS_CHANNEL, approval.id, 'rejectRequest', {
      ...actionData(drawn, 'rejectRequest'),
      rejectReason: 'Too late',
    });
    expect(answerText(late)).toMatch(/Nothing was done: this request changed since your card was drawn/);
    expect(answerText(late)).toMatch(/Created, approved by Adele Vance/);
    const stored = await t.bot.service.get(id);
    expect(stored?.status).toBe('created');
    expect(stored?.decisionReason).toBeUndefined();
  });

  it('answers quickly with a refresh naming the clicker and the version drawn, and a stale refresh gets the current card', async () => {
    const { id, answer: submitted } = await submitRequestForm(t.teams, requester, PERSONAL_REQUESTER, {
      displayName: 'Refreshed everywhere',
      members: 'alexw@contoso.com',
      justification: 'x',
    });
    expect(submitted.body.value.refresh).toMatchObject({
      action: { verb: 'refreshCard', data: { requestId: id, card: 'status', version: 1 } },
      userIds: [`29:${requester.aadObjectId}`],
    });
    const approval = await approvalCardOf(t.teams, id);
    const answer = await t.teams.click(approver, APPROVALS_CHANNEL, approval.id, 'rejectRequest', { requestId: id, rejectReason: 'No' });
    expect(answerText(answer)).toMatch(/Rejected by Adele Vance/);
    const rejected = await t.bot.service.get(id);
    expect(answer.body.value.refresh).toMatchObject({
      action: { verb: 'refreshCard', data: { requestId: id, card: 'approval', version: rejected?.version } },
      userIds: [`29:${approver.aadObjectId}`],
    });

    const stale = await t.teams.click(requester, PERSONAL_REQUESTER, approval.id, 'refreshCard', {
      requestId: id,
      card: 'status',
      version: 1,
    });
    expect(answerText(stale)).toMatch(/Rejected by Adele Vance/);
    expect(stale.body.value.refresh.action.data.version).toBe(rejected?.version);
  });

  it("never edits a message back to an older state, however Graph's speed and the click's answer interleave", async () => {
    const { id, form } = await submitRequestForm(t.teams, requester, PERSONAL_REQUESTER, {
      displayName: 'Never backwards',
      members: 'alexw@contoso.com',
      justification: 'x',
    });
    const approval = await approvalCardOf(t.teams, id);
    await t.directory.graph.controls.setLatency(1200);
    await t.teams.click(approver, APPROVALS_CHANNEL, approval.id, 'approveRequest', { requestId: id });
    await t.directory.graph.controls.setLatency(0);
    await t.bot.settled();

    const stage = (card: unknown) =>
      ['Submitted, waiting', 'creating the group', 'Created, approved'].findIndex((line) => cardText(card).includes(line));
    for (const message of [approval.id, form.id]) {
      const stages = t.teams.sent.filter((a) => a.id === message && a.updated).map((a) => stage(a.attachments?.[0].content));
      expect(stages.at(-1)).toBe(2);
      expect(stages).toEqual([...stages].sort((a, b) => a - b));
    }
  });
});
