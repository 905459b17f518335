import { APPROVER, INTUNE_ADMIN, INTUNE_PROVISIONING_CLIENT, REQUESTER } from '../../src/dev/fixtures/wellKnown';
import {
  APPROVALS_CHANNEL,
  PERSONAL_REQUESTER,
  approvalCardOf,
  openRequestForm,
  startBotUnderTest,
  type BotUnderTest,
} from '../support/botUnderTest';
import { actionData, actionsOf, cardText, inputValues, requestIdOf, type TeamsUser } from '../support/teamsChannel';

/**
 * The form asks for the kind of group first, then the membership type, then only what that
 * group needs; its buttons draw it again on the server. Whatever a card sends beyond that is
 * set aside: a forged card cannot give a device group members or an assigned group a rule.
 */

const requester: TeamsUser = { aadObjectId: REQUESTER.id, name: REQUESTER.displayName };
const approver: TeamsUser = { aadObjectId: APPROVER.id, name: APPROVER.displayName };

let t: BotUnderTest;
beforeAll(async () => {
  t = await startBotUnderTest('app');
  await t.teams.say(approver, APPROVALS_CHANNEL, '<at>Entra Group Requests</at> use this channel for approvals');
});
afterAll(() => t.stop());

/** The ids of a card's inputs, and the placeholder each shows. */
function inputsOf(card: unknown): Record<string, string> {
  const found: Record<string, string> = {};
  const walk = (node: any) => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach(walk);
    if (String(node.type).startsWith('Input.')) found[node.id] = node.placeholder ?? '';
    Object.values(node).forEach(walk);
  };
  walk(card);
  return found;
}

/** Presses the form's button for another kind or membership type, with what is typed on it. */
async function press(formId: string, card: unknown, title: string, typed: Record<string, string> = {}) {
  const button = actionsOf(card, 'changeFormShape').find((action) => action.title === title);
  if (!button) throw new Error(`No button "${title}" on the form: ${actionsOf(card, 'changeFormShape').map((a) => a.title)}`);
  const answer = await t.teams.click(requester, PERSONAL_REQUESTER, formId, 'changeFormShape', {
    ...inputValues(card),
    ...typed,
    ...button.data,
  });
  return answer.body.value;
}

/** Submits the form as Teams does: its inputs as they stand, merged with the button's data, and `forged` on top. */
async function submit(formId: string, card: unknown, typed: Record<string, string>, forged: Record<string, string> = {}) {
  const answer = await t.teams.click(requester, PERSONAL_REQUESTER, formId, 'submitRequest', {
    ...inputValues(card),
    ...typed,
    ...actionData(card, 'submitRequest'),
    ...forged,
  });
  return answer.body.value;
}

it('starts with the kind, then the membership type, and shows members only for an assigned group, a rule only for a dynamic one', async () => {
  const { form, card } = await openRequestForm(t.teams, requester, PERSONAL_REQUESTER);
  const text = cardText(card);
  expect(text.indexOf('1. Kind of group')).toBeLessThan(text.indexOf('2. Membership type'));
  expect(text).toContain('Custom security group');
  expect(Object.keys(inputsOf(card))).toEqual(expect.arrayContaining(['members', 'memberIds']));
  expect(Object.keys(inputsOf(card))).not.toContain('membershipRule');
  expect(actionsOf(card, 'checkRule')).toEqual([]);

  const dynamic = await press(form.id, card, 'Use a membership rule instead', { displayName: 'Buyers', members: 'alexw@contoso.com' });
  expect(Object.keys(inputsOf(dynamic))).toEqual(expect.arrayContaining(['membershipRule', 'ruleProperty1']));
  expect(Object.keys(inputsOf(dynamic))).not.toEqual(expect.arrayContaining(['members']));
  expect(Object.keys(inputsOf(dynamic))).not.toContain('memberIds');
  expect(inputValues(dynamic).displayName).toBe('Buyers');
  expect(actionsOf(dynamic, 'checkRule')).toHaveLength(1);

  // The members typed before are kept on the server, and come back with the assigned form.
  const back = await press(form.id, dynamic, 'Name the members instead');
  expect(inputValues(back).members).toBe('alexw@contoso.com');
  expect(inputValues(back).displayName).toBe('Buyers');
});

it('asks nothing about members or a rule for the Autopilot device group, and names its fixed owner', async () => {
  const { card } = await openRequestForm(t.teams, requester, PERSONAL_REQUESTER, { preset: 'autopilotDevices' });
  const inputs = inputsOf(card);
  expect(Object.keys(inputs).sort()).toEqual(['description', 'displayName', 'justification', 'mailNickname', 'ownerIds', 'owners']);
  expect(cardText(card)).toContain(`Fixed owner: Intune Provisioning Client (appId ${INTUNE_PROVISIONING_CLIENT.appId})`);
  expect(cardText(card)).toMatch(/Assigned, and it starts empty/);
  expect(actionsOf(card, 'changeFormShape').map((a) => a.title)).not.toContain('Use a membership rule instead');
  // The examples speak of devices, not users.
  expect(inputs.displayName).toMatch(/Devices/);
  expect(inputs.mailNickname).toMatch(/devices/);
  expect(inputs.mailNickname).not.toMatch(/users/);
});

it("asks for both names of the Autopilot pair, and the user group's members, naming the device group's fixed owner", async () => {
  const { card } = await openRequestForm(t.teams, requester, PERSONAL_REQUESTER, { preset: 'autopilotPair' });
  expect(Object.keys(inputsOf(card))).toEqual(
    expect.arrayContaining(['displayName', 'mailNickname', 'deviceDisplayName', 'deviceMailNickname', 'members', 'memberIds']),
  );
  expect(cardText(card)).toContain('Fixed owner: Intune Provisioning Client');
  const custom = await openRequestForm(t.teams, requester, PERSONAL_REQUESTER);
  expect(Object.keys(inputsOf(custom.card))).not.toContain('deviceDisplayName');
});

it('offers user properties only in the rule builder of the Autopilot user group', async () => {
  const { card } = await openRequestForm(t.teams, requester, PERSONAL_REQUESTER, { preset: 'autopilotUsers', membershipType: 'dynamic' });
  const properties = JSON.stringify(card).match(/"value":"(user|device)\.[A-Za-z]+"/g) ?? [];
  expect(properties.length).toBeGreaterThan(0);
  expect(properties.filter((p) => p.includes('device.'))).toEqual([]);
});

it('sets aside members and a rule a forged card sends with a device group: the request is assigned, empty, owned by the Intune Provisioning Client', async () => {
  const { form, card } = await openRequestForm(t.teams, requester, PERSONAL_REQUESTER, { preset: 'autopilotDevices' });
  const answer = await submit(
    form.id,
    card,
    { displayName: 'Autopilot DP - Devices - Forged', justification: 'Device preparation pilot' },
    {
      membershipType: 'dynamic',
      members: INTUNE_ADMIN.userPrincipalName,
      memberIds: INTUNE_ADMIN.id,
      membershipRule: 'device.deviceOSType -eq "Windows"',
    },
  );
  expect(cardText(answer)).toMatch(/Submitted, waiting for approval/);
  expect(cardText(answer)).toContain('Membership: Assigned, 0 members');
  const approval = cardText((await approvalCardOf(t.teams, requestIdOf(answer))).attachments?.[0]?.content);
  expect(approval).toContain('Membership: Assigned, 0 members');
  expect(approval).not.toContain('deviceOSType');
  expect(approval).toMatch(/Owners: .*Intune Provisioning Client/);
});

it('sets aside members a forged card sends with a dynamic group, even malformed ones, and stores the rule', async () => {
  const { form, card } = await openRequestForm(t.teams, requester, PERSONAL_REQUESTER, { membershipType: 'dynamic' });
  const answer = await submit(
    form.id,
    card,
    { displayName: 'Buyers everywhere', membershipRule: 'user.jobTitle -eq "Buyer"', justification: 'Purchasing' },
    { members: 'not a name at all', memberIds: 'no-id' },
  );
  expect(cardText(answer)).toMatch(/Submitted, waiting for approval/);
  expect(cardText(answer)).toContain('Membership: Dynamic (membership rule below)');
  expect(cardText(answer)).toContain('user.jobTitle -eq "Buyer"');
});

it('sets aside a rule a forged card sends with an assigned group, and creates it with the members named', async () => {
  const { form, card } = await openRequestForm(t.teams, requester, PERSONAL_REQUESTER);
  const answer = await submit(
    form.id,
    card,
    { displayName: 'Named buyers', members: INTUNE_ADMIN.userPrincipalName, justification: 'Purchasing' },
    { membershipRule: 'user.objectId -ne null', ruleProperty1: 'user.objectId' },
  );
  expect(cardText(answer)).toContain('Membership: Assigned, 1 member');
  expect(cardText(answer)).not.toContain('objectId');
});

it('shows a refused form again in its own kind and type, each error next to its field and everything typed kept', async () => {
  const { form, card } = await openRequestForm(t.teams, requester, PERSONAL_REQUESTER, { preset: 'autopilotDevices' });
  const refused = await submit(form.id, card, { displayName: '', description: 'Sales laptops', justification: 'Pilot' });
  expect(cardText(refused)).toContain('Give the group a name.');
  expect(cardText(refused)).toContain('Fixed owner: Intune Provisioning Client');
  expect(inputValues(refused).description).toBe('Sales laptops');
  expect(Object.keys(inputsOf(refused))).not.toContain('members');
  expect(actionData(refused, 'submitRequest')).toMatchObject({ preset: 'autopilotDevices', membershipType: 'assigned' });
});
