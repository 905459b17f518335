import { APPROVER, GLOBAL_ADMIN } from '../../src/dev/fixtures/wellKnown';
import { APPROVALS_CHANNEL, startBotUnderTest, type BotUnderTest } from '../support/botUnderTest';
import { cardText, type TeamsUser } from '../support/teamsChannel';

const approver: TeamsUser = { aadObjectId: APPROVER.id, name: APPROVER.displayName };
const notApprover: TeamsUser = { aadObjectId: GLOBAL_ADMIN.id, name: GLOBAL_ADMIN.displayName };

let t: BotUnderTest;
beforeAll(async () => {
  t = await startBotUnderTest('app');
});
afterAll(() => t.stop());

describe('commands in a channel, as Teams delivers them', () => {
  it('takes "use this channel for approvals" sent as <at>…</at>&nbsp;… with a mention entity', async () => {
    const [answer] = await t.teams.sayToBot(approver, APPROVALS_CHANNEL, 'use this channel for approvals');
    expect(answer.text).toMatch(/Approval cards will be posted in this channel from now on/);
  });

  it('answers other commands in that shape, and still refuses what the sender may not do', async () => {
    const [pending] = await t.teams.sayToBot(approver, APPROVALS_CHANNEL, 'pending');
    expect(cardText(pending.attachments?.[0]?.content)).toMatch(/Waiting for a decision/);
    const [refused] = await t.teams.sayToBot(notApprover, APPROVALS_CHANNEL, 'pending');
    expect(refused.text).toMatch(/Only members of the group-request approvers group/);
  });

  it('repeats text it does not understand as the person typed it, entities decoded', async () => {
    const [help] = await t.teams.sayToBot(approver, APPROVALS_CHANNEL, 'Tom & Jerry <3');
    expect(cardText(help.attachments?.[0]?.content)).toMatch(/I did not understand "Tom & Jerry <3"/);
  });
});
