import { APPROVER, REQUESTER } from '../../src/dev/fixtures/wellKnown';
import { startLocalDirectory, type LocalDirectory } from '../../src/dev/localDirectory';
import { APPROVALS_CHANNEL, PERSONAL_REQUESTER, approvalCardOf, startBotUnderTest, until, type BotUnderTest } from '../support/botUnderTest';
import { directoryWithPeople } from '../support/largeDirectory';
import { cardText, requestIdOf } from '../support/teamsChannel';

const requester = { aadObjectId: REQUESTER.id, name: REQUESTER.displayName };
const approver = { aadObjectId: APPROVER.id, name: APPROVER.displayName };
/** Teams refuses a bot message over 100 KB as UTF-16. */
const TEAMS_LIMIT = 100 * 1024;
const { fixture, principalNames } = directoryWithPeople(5000);

let directory: LocalDirectory;
let t: BotUnderTest;
beforeAll(async () => {
  directory = await startLocalDirectory({ fixture });
  // Thousands of names take longer than this: the submission answers "checking" first.
  t = await startBotUnderTest('app', { SUBMIT_ANSWER_WITHIN_MS: '300' }, directory);
  await t.teams.say(approver, APPROVALS_CHANNEL, 'use this channel for approvals');
}, 60_000);
afterAll(async () => {
  await t.stop();
  await directory.stop();
});

/** Every activity the bot sent Teams, and every invoke answer, fits Teams' limit. */
function expectAllUnderTheLimit(answers: { body: unknown }[]) {
  for (const sent of t.teams.sent) expect({ id: sent.id, bytes: sent.utf16Bytes }).toEqual({ id: sent.id, bytes: expect.any(Number) });
  expect(Math.max(...t.teams.sent.map((s) => s.utf16Bytes))).toBeLessThan(TEAMS_LIMIT);
  for (const answer of answers) expect(JSON.stringify(answer.body).length * 2).toBeLessThan(TEAMS_LIMIT);
}

describe('a request for 5,000 members', () => {
  it('keeps every card under 100 KB, from "checking" to created, and the requester ends on the status card', async () => {
    const [form] = await t.teams.say(requester, PERSONAL_REQUESTER, 'new group');
    const values = { displayName: 'Everyone in the pilot', members: principalNames.join('\n'), justification: 'The whole pilot population' };
    const answer = await t.teams.click(requester, PERSONAL_REQUESTER, form.id, 'submitRequest', values);
    expect(cardText(answer.body.value)).toMatch(/Checking 5,000 names in the directory/);

    const status = await until('the form to show the outcome', () => {
      const card = t.teams.latest(form.id)?.attachments?.[0].content;
      return /Submitted, waiting for approval/.test(cardText(card)) ? card : undefined;
    });
    expect(cardText(status)).toContain('Membership: Assigned, 5,000 members');
    const id = requestIdOf(status);
    const approval = await approvalCardOf(t.teams, id);
    const approvalText = cardText(approval.attachments?.[0].content);
    expect(approvalText).toContain('Person 25 (person25@contoso.com) …and 4,975 more');
    expect(approvalText).toContain(`say "status ${id}" to me in a personal chat`);

    const decision = await t.teams.click(approver, APPROVALS_CHANNEL, approval.id, 'approveRequest', { requestId: id });
    await t.bot.settled();
    await until('the requester card to show the created group', () => /Created, approved by/.test(cardText(t.teams.latest(form.id)?.attachments?.[0].content)));
    const group = (await directory.graph.controls.groups()).find((g) => g.displayName === 'Everyone in the pilot');
    expect(group?.members).toHaveLength(5000);
    expectAllUnderTheLimit([answer, decision]);
  }, 120_000);
});
