import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  APPROVER,
  APPROVERS_GROUP_ID,
  IDENTITY_OPERATIONS_GROUP_ID,
  INTUNE_ADMIN,
  NESTED_APPROVER,
  REQUESTER,
} from '../../src/dev/fixtures/wellKnown';
import {
  APPROVALS_CHANNEL,
  PERSONAL_REQUESTER,
  startBotUnderTest,
  submitRequestForm,
  until,
  type BotUnderTest,
} from '../support/botUnderTest';
import { answerText, cardText, teamsUser, type Conversation, type SentActivity } from '../support/teamsChannel';

/**
 * The approval policy over real HTTP: routes chosen by kind, prefix and size, each stage's card in
 * its own channel, decided by its own approvers group, nobody deciding two stages.
 */

const requester = teamsUser(REQUESTER);
const adele = teamsUser(APPROVER);
const lee = teamsUser(INTUNE_ADMIN);
/** In Identity Operations, and an approver through it (nested in the approvers group). */
const nestor = teamsUser(NESTED_APPROVER);

const IDENTITY_REVIEW: Conversation = { id: '19:identity-review@thread.tacv2', conversationType: 'channel' };
const DEVICES: Conversation = { id: '19:device-groups@thread.tacv2', conversationType: 'channel' };
const LARGE: Conversation = { id: '19:large-groups@thread.tacv2', conversationType: 'channel' };

const policy = {
  routes: [
    {
      name: 'Security groups',
      match: { displayNamePrefix: 'SEC-' },
      stages: [
        { name: 'Identity review', approversGroupId: IDENTITY_OPERATIONS_GROUP_ID, channel: IDENTITY_REVIEW.id },
        { name: 'Group approvers', approversGroupId: APPROVERS_GROUP_ID },
      ],
      remindAfter: 'PT4H',
      expireAfter: 'P3D',
    },
    { name: 'Devices', match: { kinds: ['autopilotDevices'] }, stages: [{ approversGroupId: APPROVERS_GROUP_ID, channel: DEVICES.id }] },
    { name: 'Large', match: { minSize: 3 }, stages: [{ name: 'Large groups', approversGroupId: APPROVERS_GROUP_ID, channel: LARGE.id }] },
  ],
};

let t: BotUnderTest;
let folder: string;

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'approval-stages-'));
  const file = join(folder, 'policy.json');
  writeFileSync(file, JSON.stringify(policy));
  t = await startBotUnderTest('app', { APPROVAL_POLICY_FILE: file });
  await t.teams.say(adele, APPROVALS_CHANNEL, '<at>Entra Group Requests</at> use this channel for approvals');
});
afterAll(async () => {
  await t.stop();
  rmSync(folder, { recursive: true, force: true });
});

const card = (activity: SentActivity | undefined) => activity?.attachments?.[0]?.content;

function cardFor(conversation: Conversation, id: string): Promise<SentActivity> {
  return until(`the card of ${id} in ${conversation.id}`, () =>
    t.teams.cardsIn(conversation.id).find((a) => cardText(card(a)).includes(`Request: ${id}`)),
  );
}

const shownIn = (conversation: Conversation, id: string) =>
  t.teams.cardsIn(conversation.id).some((a) => cardText(card(a)).includes(`Request: ${id}`));

async function submit(values: Record<string, string>) {
  const { id, answer } = await submitRequestForm(t.teams, requester, PERSONAL_REQUESTER, {
    preset: 'custom',
    membershipType: 'assigned',
    members: 'alexw@contoso.com',
    justification: 'Access review',
    ...values,
  });
  expect(id).toBeDefined();
  return { id, answer };
}

describe('a two-stage route', () => {
  it('goes stage by stage, each decided in its channel by its own group, and creates only after the last', async () => {
    const { id, answer } = await submit({ displayName: 'SEC-Payroll admins' });
    expect(cardText(answer.body.value)).toMatch(/waiting for stage 1 of 2 \(Identity review\)/);

    const first = await cardFor(IDENTITY_REVIEW, id);
    expect(cardText(card(first))).toMatch(/Stage 1 of 2: Identity review: waiting[\s\S]*Stage 2 of 2: Group approvers: to come/);
    expect(shownIn(APPROVALS_CHANNEL, id)).toBe(false);

    const outsider = await t.teams.click(adele, IDENTITY_REVIEW, first.id, 'approveRequest', { requestId: id });
    expect(answerText(outsider)).toMatch(
      /Only members of the approvers group of stage 1 of 2 \(Identity review\) can decide this request now/,
    );

    const approvedFirst = await t.teams.click(nestor, IDENTITY_REVIEW, first.id, 'approveRequest', { requestId: id });
    expect(cardText(approvedFirst.body.value)).toMatch(/waiting for stage 2 of 2 \(Group approvers\)/);
    expect(cardText(approvedFirst.body.value)).toMatch(
      /Stage 1 of 2: Identity review: approved by Nestor Wilke, \d{4}-\d\d-\d\d \d\d:\d\d UTC/,
    );

    const second = await cardFor(APPROVALS_CHANNEL, id);
    await until('the requester told of stage 1', () =>
      t.teams.sent.some(
        (a) =>
          a.conversationId === PERSONAL_REQUESTER.id &&
          /passed stage 1 of 2 by Nestor Wilke; it now waits for stage 2 of 2/.test(a.text ?? ''),
      ),
    );
    const twice = await t.teams.click(nestor, APPROVALS_CHANNEL, second.id, 'approveRequest', { requestId: id });
    expect(answerText(twice)).toMatch(
      /You decided stage 1 of 2 \(Identity review\) of this request, so someone else must decide stage 2 of 2/,
    );
    expect((await t.bot.service.get(id))?.status).toBe('submitted');
    expect(await t.directory.graph.controls.groups()).not.toContainEqual(expect.objectContaining({ displayName: 'SEC-Payroll admins' }));

    const approvedSecond = await t.teams.click(adele, APPROVALS_CHANNEL, second.id, 'approveRequest', { requestId: id });
    expect(cardText(approvedSecond.body.value)).toMatch(/Approved by Adele Vance: creating the group/);
    await t.bot.settled();
    await until('the group', async () => (await t.directory.graph.controls.groups()).find((g) => g.displayName === 'SEC-Payroll admins'));

    // Both stages' cards follow the request to its end, each showing who decided which stage.
    await until('both cards created', () =>
      [first, second].every((c) => /Created, approved by Adele Vance/.test(cardText(card(t.teams.latest(c.id))))),
    );
    expect(cardText(card(t.teams.latest(first.id)))).toMatch(
      /Stage 1 of 2: Identity review: approved by Nestor Wilke[\s\S]*Stage 2 of 2: Group approvers: approved by Adele Vance/,
    );

    const [status] = await t.teams.say(requester, PERSONAL_REQUESTER, `status ${id}`);
    expect(cardText(card(status))).toMatch(
      /Nestor Wilke: approved stage 1 of 2 \(Identity review\)[\s\S]*Adele Vance: approved stage 2 of 2 \(Group approvers\)/,
    );

    const stored = await t.bot.service.get(id);
    expect(stored?.route?.name).toBe('Security groups');
    expect(
      stored?.audit.filter((e) => e.stage).map((e) => [e.stage?.number, e.stage?.outcome, e.actor !== 'system' && e.actor.name]),
    ).toEqual([
      [1, 'approved', 'Nestor Wilke'],
      [2, 'approved', 'Adele Vance'],
    ]);
  });

  it('ends at a rejection in the second stage, with the reason, and creates nothing', async () => {
    const { id } = await submit({ displayName: 'SEC-Auditors' });
    const first = await cardFor(IDENTITY_REVIEW, id);
    await t.teams.click(nestor, IDENTITY_REVIEW, first.id, 'approveRequest', { requestId: id });
    const second = await cardFor(APPROVALS_CHANNEL, id);
    const rejected = await t.teams.click(lee, APPROVALS_CHANNEL, second.id, 'rejectRequest', {
      requestId: id,
      rejectReason: 'Use the Audit team group',
    });
    expect(cardText(rejected.body.value)).toMatch(/Rejected by Lee Gu[\s\S]*Stage 2 of 2: Group approvers: rejected by Lee Gu/);
    await t.bot.settled();
    expect((await t.bot.service.get(id))?.status).toBe('rejected');
    expect(await t.directory.graph.controls.groups()).not.toContainEqual(expect.objectContaining({ displayName: 'SEC-Auditors' }));
    await until('the first stage card to say rejected', () => /Rejected by Lee Gu/.test(cardText(card(t.teams.latest(first.id)))));
  });
});

describe('choosing the route', () => {
  it('by kind: an Autopilot device group goes to the device channel', async () => {
    const { id } = await submit({ preset: 'autopilotDevices', displayName: 'Autopilot DP devices - Oslo', members: '' });
    const posted = await cardFor(DEVICES, id);
    expect(cardText(card(posted))).toMatch(/Approval: Stage 1: waiting/);
    expect(shownIn(APPROVALS_CHANNEL, id)).toBe(false);
  });

  it('by size: three members go to the large-groups channel, one member the default way', async () => {
    const large = await submit({ displayName: 'Field sales', members: 'alexw@contoso.com, lee.gu@contoso.com, megan.bowen@contoso.com' });
    await cardFor(LARGE, large.id);
    const small = await submit({ displayName: 'Field sales leads' });
    const posted = await cardFor(APPROVALS_CHANNEL, small.id);
    expect((await t.bot.service.get(small.id))?.route).toBeUndefined();
    expect(cardText(card(posted))).not.toMatch(/Stage 1/);
    expect(shownIn(LARGE, small.id)).toBe(false);
  });
});
