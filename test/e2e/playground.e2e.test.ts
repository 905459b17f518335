import type { Browser } from 'playwright-core';
import type { LocalStack } from '../../scripts/local/localStack';
import { APPROVER, INTUNE_ADMIN, REQUESTER, USER_WITH_DIFFERENT_MAIL } from '../../src/dev/fixtures/wellKnown';
import { PlaygroundPage } from './playgroundPage';
import { startPlaygroundStack, type PlaygroundStack } from './playgroundStack';

/**
 * The product as `npm start` runs it, used by two people in two Agents Playgrounds in headless
 * Chromium: Megan asks for a group in her personal chat, Adele approves it in the approvals
 * channel, and the group exists in the directory with the members Megan named.
 */

const GROUP_NAME = 'SG-Intune-Pilot-Testers';

let running: PlaygroundStack | undefined;
let stack: LocalStack;
let browser: Browser;

beforeAll(async () => {
  // The Playground puts its own process's zone on every activity (localTimezone, clientInfo), as
  // a Teams client puts its user's: the Playgrounds started below are in Tokyo (UTC+9, no summer time).
  process.env.TZ = 'Asia/Tokyo';
  running = await startPlaygroundStack('playground-e2e-');
  ({ stack, browser } = running);
}, 180000);

afterAll(() => running?.stop());

test('a group asked for in one Playground and approved in the other is created with its members', async () => {
  expect(stack.requester.currentUser.aadObjectId).toBe(REQUESTER.id);
  expect(stack.approver.currentUser.aadObjectId).toBe(APPROVER.id);

  // Tall enough for the whole form in one screenshot.
  const megan = await PlaygroundPage.open(browser, stack.requester.url, { width: 1280, height: 1900 });
  const adele = await PlaygroundPage.open(browser, stack.approver.url);
  await adele.openConversation(`${stack.approvalsChannel.teamName} - ${stack.approvalsChannel.name}`);

  await megan.openConversation('Personal Chat');
  await megan.say('new group');
  const form = await megan.card('Request a security group');
  await megan.fill(form, 'Display name', GROUP_NAME);
  await megan.fill(form, 'Description', 'Pilot ring for the new Intune security baseline');
  await megan.fill(form, 'Members by name', `${USER_WITH_DIFFERENT_MAIL.userPrincipalName}, ${INTUNE_ADMIN.userPrincipalName}`);
  await megan.fill(form, 'Justification', 'Baseline pilot starts on Monday');
  await megan.screenshot('form.png', form);
  await megan.press(form, 'Submit request');

  const status = await megan.card(/Submitted, waiting for approval/);
  expect(await status.textContent()).toContain(GROUP_NAME);
  const requestId = /Request:?\s*([A-Z0-9]{16})/.exec((await status.textContent()) ?? '')?.[1];

  const approval = await adele.card(`Group request from ${REQUESTER.displayName}`);
  expect(await approval.textContent()).toContain(GROUP_NAME);
  await adele.screenshot('approval.png');
  await adele.press(approval, 'Approve');

  const created = await adele.card(new RegExp(`Created, approved by ${APPROVER.displayName}`));
  expect(await created.textContent()).toMatch(/Group object id: [0-9a-f-]{36}/);
  await megan.card(new RegExp(`Created, approved by ${APPROVER.displayName}`));
  // Every card about the request, in both Playgrounds, ends on the final state.
  for (const person of [megan, adele]) expect(await person.cardsNotYet(GROUP_NAME, /Created, approved by/)).toEqual([]);
  await megan.page.setViewportSize({ width: 1280, height: 1000 });
  await megan.screenshot('created.png');

  const groups = await stack.directory.graph.controls.groups();
  const group = groups.find((candidate) => candidate.displayName === GROUP_NAME);
  expect(group).toBeDefined();
  expect(group?.securityEnabled).toBe(true);
  expect([...(group?.members ?? [])].sort()).toEqual([USER_WITH_DIFFERENT_MAIL.id, INTUNE_ADMIN.id].sort());
  expect(await created.textContent()).toContain(group?.id);

  await megan.page.setViewportSize({ width: 1280, height: 1900 });
  // Megan asks for the request in full: its history shows her time (the Playground's zone, Tokyo) next to UTC.
  await megan.say(`status ${requestId}`);
  const history = await megan.card('History');
  const shown = /(\d{2}):(\d{2}) UTC \(\w{3} \d{1,2}, \d{4}, (\d{1,2}):(\d{2})\s[AP]M Asia\/Tokyo\)/.exec(
    (await history.textContent()) ?? '',
  );
  expect(shown).not.toBeNull();
  const [, utcHour, utcMinute, tokyoHour, tokyoMinute] = shown ?? [];
  // The card uses the Playground's locale, en-US, with its 12-hour clock.
  expect([Number(tokyoHour), tokyoMinute]).toEqual([(Number(utcHour) + 9) % 12 || 12, utcMinute]);
  await megan.screenshot('status-history.png', history);
}, 300000);

test('an approver chooses the approvals channel by mentioning the bot there', async () => {
  const adele = await PlaygroundPage.open(browser, stack.approver.url);
  await adele.openConversation(`${stack.approvalsChannel.teamName} - ${stack.approvalsChannel.name}`);
  await adele.postMentioning('Group Requests', 'use this channel for approvals');
  await adele.message('Approval cards will be posted in this channel from now on.');
}, 120000);

test('a member the directory does not know is refused on the form itself, with what was typed kept', async () => {
  const megan = await PlaygroundPage.open(browser, stack.requester.url, { width: 1280, height: 1900 });
  await megan.openConversation('Personal Chat');
  await megan.say('new group');
  const form = await megan.card('Request a security group');
  await megan.fill(form, 'Display name', 'SG-Typo-Members');
  await megan.fill(form, 'Members by name', `${INTUNE_ADMIN.userPrincipalName}, lee.gu@contoso.con`);
  await megan.fill(form, 'Justification', 'Checking the form');
  await megan.press(form, 'Submit request');

  const refused = await megan.card('No user in the directory is called lee.gu@contoso.con');
  expect(await refused.getByRole('textbox', { name: 'Display name' }).inputValue()).toBe('SG-Typo-Members');
  const groups = await stack.directory.graph.controls.groups();
  expect(groups.map((group) => group.displayName)).not.toContain('SG-Typo-Members');
}, 120000);

test('the form shows only what the kind and membership type need, keeping what was typed', async () => {
  const megan = await PlaygroundPage.open(browser, stack.requester.url, { width: 1280, height: 1600 });
  await megan.openConversation('Personal Chat');
  await megan.say('new group');
  const form = await megan.card('Request a security group');
  expect([await megan.hasTextBox(form, 'Members by name'), await megan.hasTextBox(form, 'Membership rule')]).toEqual([true, false]);
  await megan.fill(form, 'Display name', 'SG-Sales-Buyers');

  const dynamic = await megan.pressAndWait(
    form,
    'Use a membership rule instead',
    'Request a security group',
    'Dynamic: everyone the membership rule',
  );
  expect([await megan.hasTextBox(dynamic, 'Members by name'), await megan.hasTextBox(dynamic, 'Membership rule')]).toEqual([false, true]);
  expect(await dynamic.getByRole('textbox', { name: 'Display name' }).inputValue()).toBe('SG-Sales-Buyers');

  const device = await megan.pressAndWait(
    dynamic,
    'Change to: Autopilot device group',
    'Request a security group',
    'Fixed owner: Intune Provisioning Client',
  );
  expect([await megan.hasTextBox(device, 'Members by name'), await megan.hasTextBox(device, 'Membership rule')]).toEqual([false, false]);
  expect(await device.getByRole('textbox', { name: 'Mail nickname' }).getAttribute('placeholder')).toBe('e.g. autopilot-dp-devices-sales');
  expect(await device.getByRole('textbox', { name: 'Display name' }).inputValue()).toBe('SG-Sales-Buyers');
  await megan.screenshot('form-device-group.png', device);
}, 180000);

test('a misspelt rule property is fixed with one click and the rule checked again', async () => {
  // Tall enough for the whole dynamic form in one screenshot.
  const megan = await PlaygroundPage.open(browser, stack.requester.url, { width: 1280, height: 2400 });
  await megan.openConversation('Personal Chat');
  await megan.say('new group');
  const form = await megan.card('Request a security group');
  const dynamic = await megan.pressAndWait(
    form,
    'Use a membership rule instead',
    'Request a security group',
    'Dynamic: everyone the membership rule',
  );
  await megan.fill(dynamic, 'Membership rule', 'user.departmnt -eq "Sales"');
  const checked = await megan.pressAndWait(dynamic, 'Check rule', 'Request a security group', 'Did you mean user.department?');
  await megan.screenshot('rule-fix.png', checked);
  const fixed = await megan.pressAndWait(
    checked,
    'Fix: "user.departmnt" → "user.department"',
    'Request a security group',
    /This rule matches \d+ of the \d+ users/,
  );
  expect(await fixed.getByRole('textbox', { name: 'Membership rule' }).inputValue()).toBe('user.department -eq "Sales"');
}, 180000);
