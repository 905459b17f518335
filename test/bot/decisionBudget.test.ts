import { SqliteRequestStore } from '../../src/storage/sqliteRequestStore';
import { APPROVER, REQUESTER } from '../../src/dev/fixtures/wellKnown';
import {
  APPROVALS_CHANNEL,
  PERSONAL_REQUESTER,
  approvalCardOf,
  startBotUnderTest,
  submitRequestForm,
  type BotUnderTest,
} from '../support/botUnderTest';
import { cardText, teamsUser } from '../support/teamsChannel';

const requester = teamsUser(REQUESTER);
const approver = teamsUser(APPROVER);

let t: BotUnderTest;
beforeAll(async () => {
  t = await startBotUnderTest('app', { DECISION_ANSWER_WITHIN_MS: '1000' });
  await t.teams.say(approver, APPROVALS_CHANNEL, 'use this channel for approvals');
});
afterAll(() => t.stop());

async function storedStatus(id: string) {
  const store = await SqliteRequestStore.open({ path: t.sqlitePath });
  try {
    return (await store.get(id))?.status;
  } finally {
    await store.close();
  }
}

describe('a decision while Microsoft Graph takes 20 seconds to answer', () => {
  it('answers the click before Graph does, with a working card, and the card later turns to Created for everyone', async () => {
    const { form, id } = await submitRequestForm(t.teams, requester, PERSONAL_REQUESTER, {
      displayName: 'Slow Graph approval',
      members: 'alexw@contoso.com',
      justification: 'x',
    });
    const approval = await approvalCardOf(t.teams, id);

    await t.directory.graph.controls.setLatency(20_000);
    const answer = await t.teams.click(approver, APPROVALS_CHANNEL, approval.id, 'approveRequest', { requestId: id });
    await t.directory.graph.controls.setLatency(0);
    // Graph has not answered yet (the approver check is still on its way), and the click is answered.
    expect(answer.status).toBe(200);
    expect(cardText(answer.body.value)).toMatch(/Working on it/);
    expect(await storedStatus(id)).toBe('submitted');

    await t.bot.settled();
    expect(await storedStatus(id)).toBe('created');
    expect(cardText(t.teams.latest(approval.id)?.attachments?.[0].content)).toMatch(/Created, approved by Adele Vance/);
    expect(cardText(t.teams.shownTo(approver, approval.id))).toMatch(/Created, approved by Adele Vance/);
    expect(cardText(t.teams.latest(form.id)?.attachments?.[0].content)).toMatch(/Created/);
  }, 120_000);
});
