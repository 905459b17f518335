import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { APPROVER, APPROVERS_GROUP_ID, IDENTITY_OPERATIONS_GROUP_ID, REQUESTER } from '../../src/dev/fixtures/wellKnown';
import {
  APPROVALS_CHANNEL,
  PERSONAL_REQUESTER,
  approvalCardOf,
  startBotUnderTest,
  submitRequestForm,
  until,
  type BotUnderTest,
} from '../support/botUnderTest';
import {
  actionData,
  actionsOf,
  answerText,
  cardText,
  inputValues,
  requestIdOf,
  teamsUser,
  type Conversation,
} from '../support/teamsChannel';

const requester = teamsUser(REQUESTER);
const approver = teamsUser(APPROVER);
const ESCALATION_CHANNEL: Conversation = { id: '19:escalation@thread.tacv2', conversationType: 'channel' };
/** All Marketing, where Yuki Tanaka, no approver, is a member. */
const ESCALATION_GROUP_ID = 'bc68bbc1-44f9-471e-9ae5-babe4ca1bd46';
const escalationMember = teamsUser({ id: '468ec07a-91e6-468d-a7bb-be09edb02a95', displayName: 'Yuki Tanaka' });

/**
 * Seconds instead of hours, so the sweep finds them due while the test watches. Identity
 * Operations decides "ESC-" requests; once escalated, All Marketing may decide them too, in its
 * own channel.
 */
const POLICY = {
  routes: [
    {
      name: 'Escalating',
      match: { displayNamePrefix: 'ESC-' },
      stages: [{ name: 'Identity Operations', approversGroupId: IDENTITY_OPERATIONS_GROUP_ID }],
      escalation: { after: 'PT1S', approversGroupId: ESCALATION_GROUP_ID, channel: ESCALATION_CHANNEL.id },
      expireAfter: 'P1D',
    },
    {
      name: 'Short-lived',
      match: { displayNamePrefix: 'EXP-' },
      stages: [{ name: 'Approval', approversGroupId: APPROVERS_GROUP_ID }],
      expireAfter: 'PT1S',
    },
  ],
};

let folder: string;
let under: BotUnderTest;

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'waiting-'));
  const policyFile = join(folder, 'policy.json');
  writeFileSync(policyFile, JSON.stringify(POLICY));
  under = await startBotUnderTest('app', { APPROVAL_POLICY_FILE: policyFile, WAITING_SWEEP_SECONDS: '0.2', OUTBOX_POLL_SECONDS: '0.2' });
  await under.teams.say(approver, APPROVALS_CHANNEL, 'use this channel for approvals');
});

afterAll(async () => {
  await under?.stop();
  rmSync(folder, { recursive: true, force: true });
});

const latestCard = (activityId: string) => under.teams.latest(activityId)?.attachments?.[0]?.content;

async function submit(displayName: string) {
  const submitted = await submitRequestForm(under.teams, requester, PERSONAL_REQUESTER, {
    displayName,
    members: 'alexw@contoso.com',
    justification: 'Waiting test',
  });
  expect(submitted.id).toBeTruthy();
  return { ...submitted, approval: await approvalCardOf(under.teams, submitted.id) };
}

test('"remind <id>" replies in the approval card\'s thread, and a second one within a day is refused in words', async () => {
  const { id, approval } = await submit('Reminded group');

  const [first] = await under.teams.say(requester, PERSONAL_REQUESTER, `remind ${id.toLowerCase()}`);
  expect(first.text).toMatch(new RegExp(`I reminded the approvers of request ${id}`));
  const reply = await until('the reminder in the thread', () =>
    under.teams.sent.find((a) => a.conversationId === APPROVALS_CHANNEL.id && a.thread === approval.id),
  );
  expect(reply.text).toMatch(new RegExp(`The requester asks for a decision: request ${id} has waited .* for a decision`));
  expect(reply.text).not.toMatch(/Megan|alexw|Reminded group/);

  const [second] = await under.teams.say(requester, PERSONAL_REQUESTER, `remind ${id}`);
  expect(second.text).toMatch(
    /You already sent a reminder for this request in the last day; you can send the next one from \d{4}-\d\d-\d\d \d\d:\d\d UTC/,
  );
  const [byApprover] = await under.teams.say(approver, { id: 'a:personal-approver', conversationType: 'personal' }, `remind ${id}`);
  expect(byApprover.text).toMatch(/Only the person who asked for this group can send its approvers a reminder/);
  // The escalation group decides only requests escalated to it.
  const notEscalated = await under.teams.click(escalationMember, APPROVALS_CHANNEL, approval.id, 'approveRequest', { requestId: id });
  expect(answerText(notEscalated)).toMatch(/Only members of the group-request approvers group can decide/);
  await under.bot.settled();
  expect(under.teams.sent.filter((a) => a.thread === approval.id)).toHaveLength(1);
  expect(cardText(latestCard(approval.id))).toMatch(/Waiting for a decision for .* \(approvers reminded once\)/);
});

test('an escalated request is decided in the escalation channel by the escalation group, and both cards follow', async () => {
  const { id, approval, form } = await submit('ESC-Printers');
  const escalated = await until('the approval card in the escalation channel', () =>
    under.teams.cardsIn(ESCALATION_CHANNEL.id).find((a) => requestIdOf(a.attachments?.[0]?.content) === id),
  );
  expect(cardText(escalated.attachments?.[0]?.content)).toMatch(/\[Approve\]/);
  await until('the approval card to say it was escalated', () => /escalated/.test(cardText(latestCard(approval.id))));

  const answer = await under.teams.click(escalationMember, ESCALATION_CHANNEL, escalated.id, 'approveRequest', { requestId: id });
  expect(answerText(answer)).toMatch(/Approved by Yuki Tanaka/);
  await until('the group to be created', async () => (await under.bot.store.get(id))?.status === 'created');
  await under.bot.settled();
  for (const card of [approval.id, escalated.id, form.id]) {
    expect(cardText(latestCard(card))).toMatch(/Created, approved by Yuki Tanaka/);
    expect(actionsOf(latestCard(card), 'approveRequest')).toEqual([]);
  }
  const late = await under.teams.click(approver, APPROVALS_CHANNEL, approval.id, 'rejectRequest', {
    requestId: id,
    rejectReason: 'Too late',
  });
  expect(answerText(late)).toMatch(/already created/);
  expect((await under.directory.graph.controls.groups()).filter((g) => g.displayName === 'ESC-Printers')).toHaveLength(1);
});

test('an expired request says so on its cards, and "Request again" opens a new form with the same values that makes a new request', async () => {
  const { id, approval, form } = await submit('EXP-Kiosks');
  const notice = await until('the requester to be told it expired', () =>
    under.teams
      .cardsIn(PERSONAL_REQUESTER.id)
      .find((a) => /expired: nobody decided within 1 second/.test(cardText(a.attachments?.[0]?.content))),
  );
  await under.bot.settled();
  expect(cardText(notice.attachments?.[0]?.content)).toMatch(new RegExp(`EXP-Kiosks" \\(request ${id}\\) expired`));
  for (const card of [approval.id, form.id]) expect(cardText(latestCard(card))).toMatch(/Expired: nobody decided within 1 second/);
  expect(actionsOf(latestCard(approval.id), 'approveRequest')).toEqual([]);
  const refused = await under.teams.click(approver, APPROVALS_CHANNEL, approval.id, 'approveRequest', { requestId: id });
  expect(answerText(refused)).toMatch(/already expired/);

  const again = await under.teams.click(
    requester,
    PERSONAL_REQUESTER,
    notice.id,
    'requestAgain',
    actionData(notice.attachments?.[0]?.content, 'requestAgain'),
  );
  const newForm = again.body.value;
  expect(inputValues(newForm)).toMatchObject({ displayName: 'EXP-Kiosks', members: 'alexw@contoso.com', justification: 'Waiting test' });
  const resubmitted = await under.teams.click(requester, PERSONAL_REQUESTER, notice.id, 'submitRequest', {
    ...actionData(newForm, 'submitRequest'),
    ...inputValues(newForm),
  });
  const newId = requestIdOf(resubmitted.body.value);
  expect(newId).toMatch(/^[A-Z0-9]{16}$/);
  expect(newId).not.toBe(id);
  expect((await under.bot.store.get(newId))?.spec).toMatchObject({ displayName: 'EXP-Kiosks', members: ['alexw@contoso.com'] });

  // Only the requester may ask again; the card's id is all anyone else learns nothing from.
  const stranger = await under.teams.click(approver, PERSONAL_REQUESTER, notice.id, 'requestAgain', { requestId: id });
  expect(answerText(stranger)).toMatch(/I know of no request/);
});
