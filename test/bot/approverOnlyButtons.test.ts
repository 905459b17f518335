import {
  APPROVER,
  GLOBAL_ADMIN,
  IDENTITY_OPERATIONS_GROUP_ID,
  INTUNE_ADMIN,
  NESTED_APPROVER,
  REQUESTER,
} from '../../src/dev/fixtures/wellKnown';
import { startLocalDirectory, type LocalDirectory } from '../../src/dev/localDirectory';
import { PERSONAL_REQUESTER, approvalCardOf, startBotUnderTest, submitRequestForm, type BotUnderTest } from '../support/botUnderTest';
import { directoryWithPeople } from '../support/largeDirectory';
import { answerText, cardText, teamsUser, type Conversation, type TeamsUser } from '../support/teamsChannel';
import { teamsUserId, type RosterPerson } from '../support/teamRosters';

/**
 * Approval cards show Approve and Reject only to approvers: the card everyone sees tells where the
 * request stands and names the team's approvers in its `refresh`, so Teams asks the bot for their
 * own version, with the buttons. Past Teams' 60, everyone gets the buttons, and the server refuses
 * anyone else, as it always does.
 */

const requester = teamsUser(REQUESTER);
const approver = teamsUser(APPROVER);
const alsoApprover = teamsUser(INTUNE_ADMIN);
const nestedApprover = teamsUser(NESTED_APPROVER);
const outsider = teamsUser(GLOBAL_ADMIN);

/** Approvers through the nested Identity Operations group, beyond the 60 Teams can name. */
const MANY_APPROVERS = 70;
const { fixture, principalNames } = directoryWithPeople(1_200);
const people: RosterPerson[] = principalNames.map((upn) => {
  const user = fixture.users.find((u) => u.userPrincipalName === upn)!;
  return { aadObjectId: user.id, name: user.displayName, userPrincipalName: upn };
});
fixture.groups
  .find((g) => g.id === IDENTITY_OPERATIONS_GROUP_ID)!
  .members.push(...people.slice(0, MANY_APPROVERS).map((p) => p.aadObjectId));
const ordinaryPeople = people.slice(MANY_APPROVERS);
const inRoster = (user: TeamsUser): RosterPerson => ({ aadObjectId: user.aadObjectId, name: user.name });

const SMALL_CHANNEL: Conversation = { id: '19:group-approvals@thread.tacv2', conversationType: 'channel' };
const CROWDED_CHANNEL: Conversation = { id: '19:crowded-approvals@thread.tacv2', conversationType: 'channel' };
const LARGE_CHANNEL: Conversation = { id: '19:large-approvals@thread.tacv2', conversationType: 'channel' };

let directory: LocalDirectory;
let t: BotUnderTest;
beforeAll(async () => {
  directory = await startLocalDirectory({ fixture });
  t = await startBotUnderTest('app', {}, directory);
  const { rosters } = t.teams;
  rosters.add(
    '19:it-operations@thread.tacv2',
    [SMALL_CHANNEL.id],
    [requester, approver, alsoApprover, nestedApprover, outsider].map(inRoster),
  );
  // 1,100 people: Teams serves them in pages of at most 500, and the two approvers are on the later pages.
  const large = [inRoster(requester), ...ordinaryPeople.slice(0, 1_097)];
  large.splice(10, 0, inRoster(outsider));
  large.splice(700, 0, inRoster(approver));
  large.push(inRoster(alsoApprover));
  rosters.add('19:service-desk@thread.tacv2', [LARGE_CHANNEL.id], large);
  rosters.add(
    '19:all-staff@thread.tacv2',
    [CROWDED_CHANNEL.id],
    [requester, approver, outsider].map(inRoster).concat(people.slice(0, 200)),
  );
});
afterAll(async () => {
  await t.stop();
  await directory.stop();
});

/** An approver makes `channel` the approvals channel, then `who` asks for a group there. */
async function requestIn(channel: Conversation, displayName: string, who: TeamsUser = requester) {
  await t.teams.say(approver, channel, 'use this channel for approvals');
  const { id } = await submitRequestForm(t.teams, who, PERSONAL_REQUESTER, {
    displayName,
    members: 'alexw@contoso.com',
    justification: 'Approver-only buttons',
  });
  const posted = await approvalCardOf(t.teams, id, channel.id);
  return { id, posted, everyone: posted.attachments?.[0]?.content };
}

it('gives approvers the buttons on refresh and everyone else the status without them', async () => {
  const { id, posted, everyone } = await requestIn(SMALL_CHANNEL, 'Buttons for approvers');
  expect(cardText(everyone)).toMatch(/Submitted, waiting for approval/);
  expect(cardText(everyone)).not.toMatch(/\[Approve\]/);
  expect([...everyone.refresh.userIds].sort()).toEqual(
    [approver, alsoApprover, nestedApprover].map((u) => teamsUserId(u.aadObjectId)).sort(),
  );

  for (const who of [approver, alsoApprover, nestedApprover]) {
    const seen = cardText(await t.teams.view(who, SMALL_CHANNEL, posted.id));
    expect(seen).toMatch(/\[Approve\]/);
    expect(seen).toMatch(/\[Reject\]/);
  }
  const onlooker = cardText(await t.teams.view(outsider, SMALL_CHANNEL, posted.id));
  expect(onlooker).toMatch(/Buttons for approvers[\s\S]*Submitted, waiting for approval/);
  expect(onlooker).not.toMatch(/\[Approve\]|\[Reject\]/);
  // The approver's own version never became everyone's card.
  expect(cardText(t.teams.latest(posted.id)?.attachments?.[0]?.content)).not.toMatch(/\[Approve\]/);

  // Someone who sends the click anyway is refused by the server, as before.
  const forged = await t.teams.click(outsider, SMALL_CHANNEL, posted.id, 'approveRequest', { requestId: id });
  expect(answerText(forged)).toMatch(/Only members of the group-request approvers group can decide/);
  expect((await t.bot.service.get(id))?.status).toBe('submitted');

  await t.teams.click(approver, SMALL_CHANNEL, posted.id, 'approveRequest', { requestId: id });
  await t.bot.settled();
  for (const who of [approver, alsoApprover, outsider]) {
    expect(cardText(await t.teams.view(who, SMALL_CHANNEL, posted.id))).toMatch(/Created, approved by Adele Vance/);
  }
});

it('gives a requester who is an approver no buttons on their own request', async () => {
  const { posted, everyone } = await requestIn(SMALL_CHANNEL, 'Asked by an approver', alsoApprover);
  expect(everyone.refresh.userIds).not.toContain(teamsUserId(alsoApprover.aadObjectId));
  expect(everyone.refresh.userIds).toContain(teamsUserId(approver.aadObjectId));
  expect(cardText(await t.teams.view(alsoApprover, SMALL_CHANNEL, posted.id))).not.toMatch(/\[Approve\]/);
  // Even when their client asks for a refresh, the answer has no buttons for them.
  const asked = await t.teams.click(alsoApprover, SMALL_CHANNEL, posted.id, 'refreshCard', everyone.refresh.action.data);
  expect(cardText(asked.body.value)).toMatch(/Asked by an approver/);
  expect(cardText(asked.body.value)).not.toMatch(/\[Approve\]/);
  expect(cardText(await t.teams.view(approver, SMALL_CHANNEL, posted.id))).toMatch(/\[Approve\]/);
});

it('reads a roster that pages and finds the approvers on its later pages', async () => {
  const asked = t.teams.rosters.requests.length;
  const { posted, everyone } = await requestIn(LARGE_CHANNEL, 'Found on page three');
  const pages = t.teams.rosters.requests.slice(asked).filter((r) => r.conversationId === '19:service-desk@thread.tacv2');
  expect(pages.map((page) => page.continued)).toEqual([false, true, true]);
  expect([...everyone.refresh.userIds].sort()).toEqual([approver, alsoApprover].map((u) => teamsUserId(u.aadObjectId)).sort());
  expect(cardText(await t.teams.view(alsoApprover, LARGE_CHANNEL, posted.id))).toMatch(/\[Approve\]/);
  expect(cardText(await t.teams.view(outsider, LARGE_CHANNEL, posted.id))).not.toMatch(/\[Approve\]/);
});

it('shows everyone the buttons, saying they are for approvers only, when a team has more than 60 approvers; the server still refuses others', async () => {
  const { id, posted, everyone } = await requestIn(CROWDED_CHANNEL, 'Crowded channel');
  expect(everyone.refresh).toBeUndefined();
  const seen = cardText(await t.teams.view(outsider, CROWDED_CHANNEL, posted.id));
  expect(seen).toMatch(/\[Approve\]/);
  expect(seen).toMatch(/Only members of the approvers group can approve, reject or retry/);

  const refused = await t.teams.click(outsider, CROWDED_CHANNEL, posted.id, 'approveRequest', { requestId: id });
  expect(answerText(refused)).toMatch(/Only members of the group-request approvers group can decide/);
  expect(answerText(refused)).not.toMatch(/\[Approve\]/);
  expect((await t.bot.service.get(id))?.status).toBe('submitted');
  await t.teams.click(approver, CROWDED_CHANNEL, posted.id, 'approveRequest', { requestId: id });
  await t.bot.settled();
  expect((await t.bot.service.get(id))?.status).toBe('created');
});

it('shows everyone the buttons when the directory cannot say who the approvers are; the server still refuses others', async () => {
  await t.directory.graph.controls.injectFault({
    status: 403,
    code: 'Authorization_RequestDenied',
    target: 'batchPart',
    pathPrefix: `/users/${outsider.aadObjectId}/checkMemberGroups`,
  });
  try {
    const { id, posted, everyone } = await requestIn(SMALL_CHANNEL, 'Approvers unknown');
    expect(everyone.refresh).toBeUndefined();
    expect(cardText(everyone)).toMatch(/\[Approve\]/);
    expect(cardText(everyone)).toMatch(/Only members of the approvers group can approve/);
    const refused = await t.teams.click(outsider, SMALL_CHANNEL, posted.id, 'approveRequest', { requestId: id });
    expect(answerText(refused)).toMatch(/Only members of the group-request approvers group can decide/);
  } finally {
    await t.directory.graph.controls.clearFaults();
  }
});
