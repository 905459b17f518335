import { APPROVER, REQUESTER } from '../../src/dev/fixtures/wellKnown';
import {
  APPROVALS_CHANNEL,
  PERSONAL_REQUESTER,
  approvalCardOf,
  startBotUnderTest,
  submitRequestForm,
  until,
  type BotUnderTest,
} from '../support/botUnderTest';
import { cardText, renderedText, teamsUser } from '../support/teamsChannel';

const requester = teamsUser(REQUESTER);
const approver = teamsUser(APPROVER);
const LINK = '[Open the approval portal](https://approvals.evil.example/go)';

let t: BotUnderTest;
beforeAll(async () => {
  t = await startBotUnderTest('app');
  await t.teams.say(approver, APPROVALS_CHANNEL, 'use this channel for approvals');
});
afterAll(() => t.stop());

describe('Markdown typed by a requester', () => {
  it('shows as typed on the approval card, the requester card and the rejection notice, never as a link', async () => {
    const { answer, id } = await submitRequestForm(t.teams, requester, PERSONAL_REQUESTER, {
      displayName: 'Portal **team**',
      members: 'alexw@contoso.com',
      justification: `Please approve: ${LINK}`,
    });
    expect(cardText(answer.body.value)).toMatch(/^Portal \*\*team\*\*$/m);
    const approval = await approvalCardOf(t.teams, id);
    expect(cardText(approval.attachments?.[0].content)).toContain(`Justification\nPlease approve: ${LINK}`);

    await t.teams.click(approver, APPROVALS_CHANNEL, approval.id, 'rejectRequest', { requestId: id, rejectReason: `Use ${LINK} yourself` });
    const notice = await until('the rejection notice', () => t.teams.sent.find((a) => /was rejected/.test(a.text ?? '')));
    expect(renderedText(notice.text ?? '')).toContain(`Reason: Use ${LINK} yourself`);
    await t.bot.settled();
  });
});
