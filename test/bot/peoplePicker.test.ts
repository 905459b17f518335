import { APPROVER, INTUNE_ADMIN, REQUESTER, USER_WITH_DIFFERENT_MAIL } from '../../src/dev/fixtures/wellKnown';
import {
  APPROVALS_CHANNEL,
  PERSONAL_REQUESTER,
  approvalCardOf,
  startBotUnderTest,
  submitRequestForm,
  until,
  type BotUnderTest,
} from '../support/botUnderTest';
import { cardText, inputValues, type TeamsUser } from '../support/teamsChannel';

/**
 * Teams' people picker (Input.ChoiceSet on Data.Query graph.microsoft.com/users, isMultiSelect)
 * sends the people picked as one comma-separated string of Entra object ids. The bot resolves
 * and checks each one, as it does typed names.
 */

const requester: TeamsUser = { aadObjectId: REQUESTER.id, name: REQUESTER.displayName };
const approver: TeamsUser = { aadObjectId: APPROVER.id, name: APPROVER.displayName };
const UNKNOWN_ID = '0b7d3f5e-1c2a-4e8f-9a6b-3d5c7e9f1a2b';

let t: BotUnderTest;
beforeAll(async () => {
  t = await startBotUnderTest('app');
  await t.teams.say(approver, APPROVALS_CHANNEL, '<at>Entra Group Requests</at> use this channel for approvals');
});
afterAll(() => t.stop());

const assigned = (displayName: string) => ({ preset: 'custom', displayName, membershipType: 'assigned', justification: 'Picked in Teams' });

it('offers the people picker for owners and members, next to the boxes for pasted lists', async () => {
  const [form] = await t.teams.say(requester, PERSONAL_REQUESTER, 'new group');
  const pickers: any[] = [];
  const walk = (node: any) => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach(walk);
    if (node.type === 'Input.ChoiceSet' && node['choices.data']) pickers.push(node);
    Object.values(node).forEach(walk);
  };
  walk(form.attachments?.[0]?.content);
  expect(pickers.map((p) => ({ id: p.id, isMultiSelect: p.isMultiSelect, data: p['choices.data'] }))).toEqual([
    { id: 'ownerIds', isMultiSelect: true, data: { type: 'Data.Query', dataset: 'graph.microsoft.com/users' } },
    { id: 'memberIds', isMultiSelect: true, data: { type: 'Data.Query', dataset: 'graph.microsoft.com/users' } },
  ]);
  expect(Object.keys(inputValues(form.attachments?.[0]?.content))).toEqual(expect.arrayContaining(['owners', 'members']));
});

it('creates the group with the people picked, together with names typed in the boxes', async () => {
  const { id } = await submitRequestForm(t.teams, requester, PERSONAL_REQUESTER, {
    ...assigned('Picked people'),
    ownerIds: INTUNE_ADMIN.id.toUpperCase(),
    memberIds: `${REQUESTER.id},${USER_WITH_DIFFERENT_MAIL.id}`,
    members: 'alex.wilber@contoso.com',
  });
  const approval = await approvalCardOf(t.teams, id);
  expect(cardText(approval.attachments?.[0]?.content)).toMatch(
    new RegExp(`Owners: ${INTUNE_ADMIN.displayName} \\(${INTUNE_ADMIN.userPrincipalName.replace(/\./g, '\\.')}\\)`),
  );
  await t.teams.click(approver, APPROVALS_CHANNEL, approval.id, 'approveRequest', { requestId: id });
  await t.bot.settled();
  const group = await until('the group', async () =>
    (await t.directory.graph.controls.groups()).find((g) => g.displayName === 'Picked people'),
  );
  expect(new Set(group.owners)).toEqual(new Set([INTUNE_ADMIN.id, APPROVER.id]));
  expect(new Set(group.members)).toEqual(new Set([REQUESTER.id, USER_WITH_DIFFERENT_MAIL.id]));
});

it('refuses an id the directory does not know next to the picker, keeping everything picked and typed', async () => {
  const { answer, id } = await submitRequestForm(t.teams, requester, PERSONAL_REQUESTER, {
    ...assigned('Picked ghost'),
    ownerIds: `${INTUNE_ADMIN.id},${UNKNOWN_ID}`,
    memberIds: REQUESTER.id,
  });
  expect(id).toBeUndefined();
  const text = cardText(answer.body.value);
  expect(text).toContain(`No user in the directory has the object id ${UNKNOWN_ID}: pick them again.`);
  expect(text).not.toMatch(/is called/);
  expect(inputValues(answer.body.value)).toMatchObject({
    ownerIds: `${INTUNE_ADMIN.id},${UNKNOWN_ID}`,
    memberIds: REQUESTER.id,
    displayName: 'Picked ghost',
  });
});

it('refuses what is no object id in a picker value, as only a forged card would send', async () => {
  const { answer, id } = await submitRequestForm(t.teams, requester, PERSONAL_REQUESTER, {
    ...assigned('Picked forged'),
    ownerIds: `${INTUNE_ADMIN.id},lee.gu@contoso.com`,
  });
  expect(id).toBeUndefined();
  expect(cardText(answer.body.value)).toContain('Not an Entra object id: lee.gu@contoso.com.');
});
