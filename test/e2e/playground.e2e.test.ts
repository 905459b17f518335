import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { startLocalStack, type LocalStack } from '../../scripts/local/localStack';
import { APPROVER, INTUNE_ADMIN, REQUESTER, USER_WITH_DIFFERENT_MAIL } from '../../src/dev/fixtures/wellKnown';
import { launchChromium, PlaygroundPage } from './playgroundPage';

/**
 * The product as `npm start` runs it, used by two people in two Agents Playgrounds in headless
 * Chromium: Megan asks for a group in her personal chat, Adele approves it in the approvals
 * channel, and the group exists in the directory with the members Megan named.
 */

const GROUP_NAME = 'SG-Intune-Pilot-Testers';

let folder: string;
let stack: LocalStack;
let browser: Browser;

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'playground-e2e-'));
  stack = await startLocalStack({
    dataFolder: folder,
    ports: { bot: 0, requester: 0, approver: 0 },
    botSettings: { SQLITE_PATH: join(folder, 'requests.db') },
  });
  browser = await launchChromium();
}, 180000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  rmSync(folder, { recursive: true, force: true });
});

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

  const approval = await adele.card(`Group request from ${REQUESTER.displayName}`);
  expect(await approval.textContent()).toContain(GROUP_NAME);
  await adele.screenshot('approval.png');
  await adele.press(approval, 'Approve');

  const created = await adele.card(new RegExp(`Created, approved by ${APPROVER.displayName}`));
  expect(await created.textContent()).toMatch(/Group object id: [0-9a-f-]{36}/);
  await megan.card(new RegExp(`Created, approved by ${APPROVER.displayName}`));
  await megan.page.setViewportSize({ width: 1280, height: 1000 });
  await megan.screenshot('created.png');

  const groups = await stack.directory.graph.controls.groups();
  const group = groups.find((candidate) => candidate.displayName === GROUP_NAME);
  expect(group).toBeDefined();
  expect(group?.securityEnabled).toBe(true);
  expect([...(group?.members ?? [])].sort()).toEqual([USER_WITH_DIFFERENT_MAIL.id, INTUNE_ADMIN.id].sort());
  expect(await created.textContent()).toContain(group?.id);
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
