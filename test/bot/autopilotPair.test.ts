import { APPROVER, INTUNE_ADMIN, INTUNE_PROVISIONING_CLIENT, REQUESTER, USER_WITH_DIFFERENT_MAIL } from '../../src/dev/fixtures/wellKnown';
import type { InspectedGroup } from '../../src/dev/graphEmulator/inspection';
import { INTUNE_PROVISIONING_CLIENT_APP_ID } from '../../src/requests/groupRequest';
import {
  APPROVALS_CHANNEL,
  PERSONAL_REQUESTER,
  approvalCardOf,
  startBotUnderTest,
  submitRequestForm,
  until,
  type BotUnderTest,
} from '../support/botUnderTest';
import { cardText, teamsUser } from '../support/teamsChannel';

/**
 * The Autopilot pair: the user group and the device group of device preparation asked for in one
 * form, approved with one click, and made together, each by its own upsert key, over real HTTP
 * between the bot, the Bot Connector stand-in and the Graph emulator.
 */

const requester = teamsUser(REQUESTER);
const approver = teamsUser(APPROVER);
const COMMAND = `New-MgServicePrincipal -AppId ${INTUNE_PROVISIONING_CLIENT_APP_ID}`;

let t: BotUnderTest;
beforeAll(async () => {
  t = await startBotUnderTest('app');
  await t.teams.say(approver, APPROVALS_CHANNEL, 'use this channel for approvals');
});
afterAll(() => t.stop());
afterEach(() => t.directory.graph.controls.clearFaults());

const pair = (site: string) => ({
  preset: 'autopilotPair',
  displayName: `Autopilot DP users - ${site}`,
  deviceDisplayName: `Autopilot DP devices - ${site}`,
  membershipType: 'assigned',
  members: `${USER_WITH_DIFFERENT_MAIL.userPrincipalName}, ${INTUNE_ADMIN.userPrincipalName}`,
  owners: INTUNE_ADMIN.userPrincipalName,
  justification: `Device preparation in ${site}`,
});

async function groupsNamed(displayName: string): Promise<InspectedGroup[]> {
  return (await t.directory.graph.controls.groups()).filter((group) => group.displayName === displayName);
}

async function approve(id: string, verb = 'approveRequest', who = approver) {
  const approval = await approvalCardOf(t.teams, id);
  const answer = await t.teams.click(who, APPROVALS_CHANNEL, approval.id, verb, { requestId: id });
  await t.bot.settled();
  return answer;
}

/** The approval card as everyone in the channel sees it once the bot edited it to `state`. */
async function approvalCardShowing(id: string, state: RegExp): Promise<string> {
  const approval = await approvalCardOf(t.teams, id);
  return until(`the approval card of ${id} to show ${state}`, () => {
    const text = cardText(t.teams.latest(approval.id)?.attachments?.[0]?.content);
    return state.test(text) ? text : undefined;
  });
}

it('makes both groups on one approval: the user group with its members, the device group empty and owned by the Intune Provisioning Client', async () => {
  const { id, answer } = await submitRequestForm(t.teams, requester, PERSONAL_REQUESTER, pair('Oslo'));
  expect(cardText(answer.body.value)).toMatch(/Device group: Autopilot DP devices - Oslo \(mail nickname Autopilot-DP-devices-Oslo\)/);
  const approval = cardText((await approvalCardOf(t.teams, id)).attachments?.[0]?.content);
  expect(approval).toMatch(/Kind: Autopilot device preparation: user group and device group/);

  await approve(id);
  const request = await t.bot.service.get(id);
  expect(request?.status).toBe('created');

  const [users] = await groupsNamed('Autopilot DP users - Oslo');
  const [devices] = await groupsNamed('Autopilot DP devices - Oslo');
  expect(users).toMatchObject({ uniqueName: `entra-group-request-${id.toLowerCase()}-users`, groupTypes: [] });
  expect(users.members.sort()).toEqual([USER_WITH_DIFFERENT_MAIL.id, INTUNE_ADMIN.id].sort());
  expect(new Set(users.owners)).toEqual(new Set([INTUNE_ADMIN.id, APPROVER.id]));
  expect(devices).toMatchObject({ uniqueName: `entra-group-request-${id.toLowerCase()}-devices`, groupTypes: [], members: [] });
  expect(devices.owners).toContain(INTUNE_PROVISIONING_CLIENT.servicePrincipalId);
  expect(users.owners).not.toContain(INTUNE_PROVISIONING_CLIENT.servicePrincipalId);
  expect(request?.group?.id).toBe(users.id);
  expect(request?.deviceGroup?.id).toBe(devices.id);

  const created = await approvalCardShowing(id, /Created, approved by/);
  expect(created).toContain(`User group "Autopilot DP users - Oslo": object id ${users.id}`);
  expect(created).toContain(`Device group "Autopilot DP devices - Oslo": object id ${devices.id}`);
  expect(created).toMatch(/\[Device group in Intune admin center\]/);
  const told = await until('the requester to be told', () =>
    t.teams.sent.find((a) => a.conversationId === PERSONAL_REQUESTER.id && /Autopilot groups .* were created/.test(a.text ?? '')),
  );
  expect(told.text).toContain(`Device group "Autopilot DP devices - Oslo": object id ${devices.id}`);
  expect(told.text).toContain(
    `https://intune.microsoft.com/#view/Microsoft_AAD_IAM/GroupDetailsMenuBlade/~/Overview/groupId/${devices.id}`,
  );
});

it('a 5xx after the user group was made fails the request saying which group exists, and Retry makes only the device group', async () => {
  const { id } = await submitRequestForm(t.teams, requester, PERSONAL_REQUESTER, pair('Bergen'));
  const devicesKey = `entra-group-request-${id.toLowerCase()}-devices`;
  // Retry-After 0 lets the bot use up its tries at once; every one of them meets the outage.
  await t.directory.graph.controls.injectFault({
    status: 503,
    retryAfterSeconds: 0,
    count: 10,
    method: 'PATCH',
    pathPrefix: `/groups(uniqueName='${devicesKey}')`,
  });
  await approve(id);
  const failed = await t.bot.service.get(id);
  expect(failed?.status).toBe('failed');
  const [users] = await groupsNamed('Autopilot DP users - Bergen');
  expect(await groupsNamed('Autopilot DP devices - Bergen')).toEqual([]);
  const failedCard = await approvalCardShowing(id, /Creation failed/);
  expect(failedCard).toContain(`User group "Autopilot DP users - Bergen": object id ${users.id}`);
  expect(failedCard).toContain('Device group "Autopilot DP devices - Bergen": not created yet');

  await t.directory.graph.controls.clearFaults();
  await t.directory.graph.controls.clearRequests();
  await approve(id, 'retryRequest', teamsUser(INTUNE_ADMIN));
  expect((await t.bot.service.get(id))?.status).toBe('created');
  const creates = (await t.directory.graph.controls.requests()).filter((r) => r.method === 'PATCH' && r.status === 201);
  expect(creates.map((r) => decodeURIComponent(r.url))).toEqual([`/groups(uniqueName='${devicesKey}')`]);
  expect(await groupsNamed('Autopilot DP users - Bergen')).toHaveLength(1);
  const [devices] = await groupsNamed('Autopilot DP devices - Bergen');
  expect(devices.owners).toContain(INTUNE_PROVISIONING_CLIENT.servicePrincipalId);
  expect(devices.members).toEqual([]);
});

it('without the service principal the form and Approve name the command; once it exists Approve makes both groups', async () => {
  await t.directory.graph.controls.removeServicePrincipal(INTUNE_PROVISIONING_CLIENT_APP_ID);
  const refusedForm = await submitRequestForm(t.teams, requester, PERSONAL_REQUESTER, pair('Lyon'));
  expect(refusedForm.id).toBeUndefined();
  expect(cardText(refusedForm.answer.body.value)).toContain(COMMAND);

  await t.directory.graph.controls.addServicePrincipal(INTUNE_PROVISIONING_CLIENT_APP_ID, 'Intune Provisioning Client');
  const { id } = await submitRequestForm(t.teams, requester, PERSONAL_REQUESTER, pair('Lyon'));
  expect(id).toBeDefined();
  await t.directory.graph.controls.removeServicePrincipal(INTUNE_PROVISIONING_CLIENT_APP_ID);
  // Its approval card is posted (and where it is recorded) once the submission is answered.
  await t.bot.settled();
  const before = await t.bot.service.get(id);
  const refused = cardText((await approve(id)).body.value);
  expect(refused).toContain(COMMAND);
  expect(refused).toMatch(/\[Approve\]/);
  expect(await t.bot.service.get(id)).toEqual(before);
  expect(await groupsNamed('Autopilot DP users - Lyon')).toEqual([]);
  expect(await groupsNamed('Autopilot DP devices - Lyon')).toEqual([]);

  const made = await t.directory.graph.controls.addServicePrincipal(INTUNE_PROVISIONING_CLIENT_APP_ID, 'Intune Provisioning Client');
  expect(cardText((await approve(id)).body.value)).toMatch(/Approved by Adele Vance/);
  expect((await t.bot.service.get(id))?.status).toBe('created');
  expect(await groupsNamed('Autopilot DP users - Lyon')).toHaveLength(1);
  const [devices] = await groupsNamed('Autopilot DP devices - Lyon');
  expect(devices.owners).toContain(made.id);
});

it("warns the approver when the pair's device group reads the same as an existing group", async () => {
  const { id } = await submitRequestForm(t.teams, requester, PERSONAL_REQUESTER, {
    ...pair('Stavanger'),
    deviceDisplayName: 'Group Request Approvers\u200B',
    deviceMailNickname: 'autopilot-dp-devices-stavanger',
  });
  const approval = cardText((await approvalCardOf(t.teams, id)).attachments?.[0]?.content);
  expect(approval).toMatch(/This name reads the same as the existing group "Group Request Approvers" \(object id [0-9a-f-]{36}\)/);
});
