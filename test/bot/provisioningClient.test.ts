import { APPROVER, INTUNE_PROVISIONING_CLIENT, REQUESTER } from '../../src/dev/fixtures/wellKnown';
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
import { cardText, type TeamsUser } from '../support/teamsChannel';

/**
 * The Autopilot device group is owned by the Intune Provisioning Client. In a tenant without its
 * service principal the bot makes no device group at all, and says the command that adds it.
 */

const requester: TeamsUser = { aadObjectId: REQUESTER.id, name: REQUESTER.displayName };
const approver: TeamsUser = { aadObjectId: APPROVER.id, name: APPROVER.displayName };
const COMMAND = `New-MgServicePrincipal -AppId ${INTUNE_PROVISIONING_CLIENT_APP_ID}`;

let t: BotUnderTest;
beforeAll(async () => {
  t = await startBotUnderTest('app');
  await t.teams.say(approver, APPROVALS_CHANNEL, '<at>Entra Group Requests</at> use this channel for approvals');
});
afterAll(() => t.stop());

const deviceGroup = (displayName: string) => ({
  preset: 'autopilotDevices',
  displayName,
  membershipType: 'assigned',
  justification: 'Device preparation',
});

it('refuses Approve while the service principal is missing, naming the command, and approves once it exists again', async () => {
  const { id } = await submitRequestForm(t.teams, requester, PERSONAL_REQUESTER, deviceGroup('Autopilot DP devices - Paris'));
  const approval = await approvalCardOf(t.teams, id);
  // Teams shows the card before the bot has recorded where it is: the request as the bot left it.
  await t.bot.settled();
  const before = await t.bot.service.get(id);

  await t.directory.graph.controls.removeServicePrincipal(INTUNE_PROVISIONING_CLIENT_APP_ID);
  const refused = await t.teams.click(approver, APPROVALS_CHANNEL, approval.id, 'approveRequest', { requestId: id });
  const shown = cardText(refused.body.value);
  expect(shown).toContain(COMMAND);
  expect(shown).toMatch(/Nothing was changed: decide again once it exists/);
  expect(shown).toMatch(/\[Approve\]/);
  await t.bot.settled();
  expect(await t.bot.service.get(id)).toEqual(before);
  expect((await t.directory.graph.controls.groups()).filter((g) => g.displayName === 'Autopilot DP devices - Paris')).toEqual([]);

  // An admin runs the command: the service principal exists again, with a new object id.
  const made = await t.directory.graph.controls.addServicePrincipal(INTUNE_PROVISIONING_CLIENT_APP_ID, 'Intune Provisioning Client');
  expect(made.id).not.toBe(INTUNE_PROVISIONING_CLIENT.servicePrincipalId);
  const approved = await t.teams.click(approver, APPROVALS_CHANNEL, approval.id, 'approveRequest', { requestId: id });
  expect(cardText(approved.body.value)).toMatch(/Approved by Adele Vance/);
  await t.bot.settled();
  const group = await until('the device group', async () =>
    (await t.directory.graph.controls.groups()).find((g) => g.displayName === 'Autopilot DP devices - Paris'),
  );
  expect(group).toMatchObject({ groupTypes: [], members: [] });
  expect(group.owners).toContain(made.id);
  expect((await t.bot.service.get(id))?.status).toBe('created');
});

it('refuses the submission of a device group while the service principal is missing, naming the command', async () => {
  await t.directory.graph.controls.removeServicePrincipal(INTUNE_PROVISIONING_CLIENT_APP_ID);
  try {
    const { answer, id } = await submitRequestForm(t.teams, requester, PERSONAL_REQUESTER, deviceGroup('Autopilot DP devices - Lyon'));
    expect(id).toBeUndefined();
    expect(cardText(answer.body.value)).toContain(COMMAND);
  } finally {
    await t.directory.graph.controls.addServicePrincipal(INTUNE_PROVISIONING_CLIENT_APP_ID, 'Intune Provisioning Client');
  }
});

it('looks the service principal up again on Retry: a device group whose creation failed gets the one the directory has now', async () => {
  const { id } = await submitRequestForm(t.teams, requester, PERSONAL_REQUESTER, deviceGroup('Autopilot DP devices - Lille'));
  const approval = await approvalCardOf(t.teams, id);
  // Graph is down longer than the bot waits: the creation fails before any group is made.
  await t.directory.graph.controls.injectFault({ status: 503, retryAfterSeconds: 120, method: 'PATCH', pathPrefix: '/groups(' });
  await t.teams.click(approver, APPROVALS_CHANNEL, approval.id, 'approveRequest', { requestId: id });
  await t.bot.settled();
  const failed = await t.bot.service.get(id);
  expect(failed?.status).toBe('failed');
  const approvedWith = failed?.owners.find((owner) => owner.kind === 'servicePrincipal')?.id;

  // Meanwhile an admin deletes the service principal and makes it again: a new object id.
  await t.directory.graph.controls.removeServicePrincipal(INTUNE_PROVISIONING_CLIENT_APP_ID);
  const made = await t.directory.graph.controls.addServicePrincipal(INTUNE_PROVISIONING_CLIENT_APP_ID, 'Intune Provisioning Client');
  expect(made.id).not.toBe(approvedWith);
  await t.teams.click(approver, APPROVALS_CHANNEL, approval.id, 'retryRequest', { requestId: id });
  await t.bot.settled();
  const group = await until('the device group', async () =>
    (await t.directory.graph.controls.groups()).find((g) => g.displayName === 'Autopilot DP devices - Lille'),
  );
  expect(group.owners).toContain(made.id);
  expect(group.owners).not.toContain(approvedWith);
  expect((await t.bot.service.get(id))?.status).toBe('created');
});
